"""One headless Chromium for a whole test file, driven over the DevTools protocol (test helper).

Chromium's start-up is most of what a ``--dump-dom`` or ``--print-to-pdf`` run costs (about two CPU
seconds: a browser, a GPU and a renderer process).  ``--remote-debugging-pipe`` lets one browser load
every page instead: commands go to the browser on file descriptor 3 and answers come back on 4, each
a JSON message ended by a NUL byte (the DevTools protocol, as Puppeteer and Playwright speak it).
Each page opens in a tab of its own with the window's size set (``Emulation.setDeviceMetricsOverride``),
is measured with a script (``Runtime.evaluate``) and printed as ``--print-to-pdf`` prints it
(``Page.printToPDF``).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--remote-debugging-pipe", "--user-data-dir={profile}", "about:blank"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium this process started; ``close()`` (or ``with``) ends it."""

    def __init__(self, exe: str, profile: Path, timeout: float = 60) -> None:
        self.timeout = timeout
        to_browser, self._commands = os.pipe()  # we write at _commands, the browser reads fd 3
        self._answers, from_browser = os.pipe()  # the browser writes fd 4, we read at _answers

        def descriptors() -> None:  # in the child, before exec: the two ends where Chromium expects them
            ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]  # clear of 3, 4
            for fd, end in zip((3, 4), ends):
                os.dup2(end, fd)

        args = [exe, *(f.format(profile=profile) for f in FLAGS)]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=descriptors, pass_fds=(3, 4),
                                     start_new_session=True)
        os.close(to_browser)
        os.close(from_browser)
        self._next = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("Browser.close")
            except (OSError, RuntimeError):
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
        for fd in (self._commands, self._answers):
            try:
                os.close(fd)
            except OSError:
                pass

    def _kill(self) -> None:
        """The browser and every process it started (its own session), stopped at once."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def _message(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                self._kill()
                raise RuntimeError(f"Chromium did not answer in {self.timeout:.0f} s")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium ended (exit {self.proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """The result of one command (in ``session``: a tab's), events on the way kept for ``wait``."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            got = self._message()
            if got.get("id") == self._next:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                return got.get("result", {})
            self._events.append(got)

    def wait(self, method: str, session: str) -> dict[str, Any]:
        """The next event ``method`` of the tab ``session``."""
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(i)["params"]
            self._events.append(self._message())

    @contextlib.contextmanager
    def tab(self, page: Path, width: int = 1280, height: int = 2000, mobile: bool = False) -> Iterator[str]:
        """``page`` loaded in a new tab of ``width`` × ``height`` CSS pixels, its fonts ready: the tab's
        session, the tab closed afterwards.  ``mobile``: as a phone shows it (the page's viewport tag
        applies, scroll bars overlay)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        try:
            session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.send("Page.enable", session)
            self.send("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                      deviceScaleFactor=1, mobile=mobile)
            self.send("Page.navigate", session, url=page.as_uri())
            self.wait("Page.loadEventFired", session)
            self.evaluate(session, "document.fonts.ready.then(() => true)")
            yield session
        finally:
            if self.proc.poll() is None:
                self.send("Target.closeTarget", targetId=target)

    def evaluate(self, session: str, expression: str) -> Any:
        """The value of a script in the tab (a promise awaited), as JSON gives it."""
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_pdf(self, session: str, out: Path) -> Path:
        """The tab printed as ``--print-to-pdf --no-pdf-header-footer`` prints it (the page's own
        @page size and margins)."""
        data = self.send("Page.printToPDF", session, displayHeaderFooter=False, printBackground=False,
                         preferCSSPageSize=True)["data"]
        out.write_bytes(base64.b64decode(data))
        return out
