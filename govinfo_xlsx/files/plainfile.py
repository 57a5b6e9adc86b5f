"""Inputs that are not plain files: a FIFO, a device, a socket, a file of /proc or /sys.

Reading one blocks for ever (a FIFO with no writer, /proc/kmsg) or never ends (/dev/zero), so every
input (a batch's files, a workbook, a report, --config, --roster, --prior, --review) is looked at with
``os.stat`` before it is opened: such a file is skipped (in a batch, a row with the reason) or refused,
never opened.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..errors import GovinfoError

_KINDS = ((stat.S_ISFIFO, "是命名管道（FIFO）"), (stat.S_ISCHR, "是设备文件"), (stat.S_ISBLK, "是设备文件"),
          (stat.S_ISSOCK, "是套接字"))
_VIRTUAL = ("/proc", "/sys", "/dev")  # Linux's virtual file systems: "files" that never end or block


def not_plain(path: str | Path) -> str:
    """Why ``path`` is not a plain file to read ("是命名管道（FIFO），不是普通文件"), or '' (a plain file, a
    folder, or nothing there: the caller reports those as it always has)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ""
    for test, what in _KINDS:
        if test(st.st_mode):
            return f"{what}，不是普通文件"
    if stat.S_ISREG(st.st_mode) and sys.platform.startswith("linux"):
        real = os.path.realpath(path)
        if any(real == v or real.startswith(v + "/") for v in _VIRTUAL):
            return f"指向系统的虚拟文件（{real}），不是普通文件"
    return ""


def check_plain(path: str | Path) -> None:
    """Raise GovinfoError (one Chinese line naming the file) when ``path`` is not a plain file."""
    why = not_plain(path)
    if why:
        raise GovinfoError(f"{path}：{why}，已拒绝读取。")
