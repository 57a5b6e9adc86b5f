"""The forms an unseen site, browser, converter or clerk gives of a published report, made from the built
part's real reports (tests/fixtures/published) for ``measure_published.py --variants``.

From a report's page (.html):
- ``chromium-a4.pdf``, ``chromium-narrow.pdf``: Chromium's print of the page on A4 and on a 120 mm page
  (titles and cells wrap differently), and of each its ``pdftotext`` text with and without ``-layout``;
- ``soffice.docx``: LibreOffice's DOCX of the page (what "save as Word" gives);
- ``inner-text.txt``: the page's ``document.body.innerText`` in Chromium (select all + copy);
- ``node-lines.txt``: every text node on a line of its own (a site archive's text), ``tab-copy.txt``: a row a
  line of tab-separated cells (a copy out of Word or a page viewer);
- ``pandoc-gfm.md``, ``pandoc-pipe.md``: pandoc's Markdown (GitHub's, whose complex tables stay HTML; and
  pipe tables only, no HTML).
From a report's PDF: its ``pdftotext`` text with and without ``-layout``.
From every text form (the report's own .txt files, and the page's tab copy and innerText):
- ``full-width.txt``: digits and spaces full-width (“２０２４年”, U+3000), as some sites type them;
- ``wrapped-title.txt``: the title wrapped before “年度报告”, a space either side of the year (PDF text).

The forms are made once into a cache folder (by the source's digest) and reused. The tests use
``node_lines`` and ``tab_copy`` (tests/test_published.py, tests/test_published_variants.py).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PAGES = {"chromium-a4": "210mm 297mm", "chromium-narrow": "120mm 200mm"}
TITLE = re.compile(r"(20\d{2})\s*(年度?[^\n]{0,40}?)(年度报告|年报)")


# ---------------------------------------------------------------- text forms made without a program


def _html_blocks(html: str):
    from govinfo_xlsx.extract.document import _html

    return _html(Path("x.html"), html).blocks


def tab_copy(html: str, spacer: bool = True) -> str:
    """What a copy out of Word or a page viewer gives: a paragraph a line, a row a line of tab-separated
    cells, one-cell caption rows as a line of text, NBSP in blank cells, an all-blank spacer row."""
    lines = []
    for b in _html_blocks(html):
        if b.kind == "p":
            lines.append(b.text)
        elif len(b.cells) == 1:
            lines.append(b.cells[0])
        else:
            lines.append("\t".join(c or "\u00a0" for c in b.cells))
            if spacer and b.cells[0].startswith("二、上年结转"):
                lines.append("\t" * 7)
    return "\n".join(lines) + "\n"


def node_lines(html: str, split_numeral: bool = True) -> str:
    """A page's text as a site archive gives it: every text node on its own line (a header cell cut by
    its <br> is two lines, a blank cell leaves no line), and a part's numeral apart from its title
    ("一、" / "总体情况"), as when the numeral is a node of its own."""
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment

    soup = BeautifulSoup(html, "html.parser")
    out = []
    for s in (soup.body or soup).descendants:
        if isinstance(s, NavigableString) and not isinstance(s, Comment) \
                and s.parent.name not in ("script", "style", "title"):
            t = re.sub(r"\s+", " ", str(s).replace("\xa0", " ")).strip()
            if not t:
                continue
            m = re.match(r"^([一二三四五六]、)(.+)$", t)
            out += [m.group(1), m.group(2)] if split_numeral and m else [t]
    return "\n".join(out) + "\n"


def full_width(text: str) -> str:
    """Digits and spaces as full-width characters (“２０２４年”, U+3000)."""
    return text.translate({**{ord(c): ord(c) + 0xFEE0 for c in "0123456789"}, ord(" "): "\u3000"})


def wrapped_title(text: str) -> str | None:
    """The first title (“…2024年…年度报告”) in the first 20 lines wrapped before 年度报告, the year spaced
    (“2024 年…工作” / “年度报告”), as PDF text gives a title printed on two lines; None: no title found."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:20]):
        m = TITLE.search(line)
        if m:
            lines[i] = line[:m.start()] + f"{m.group(1)} {m.group(2)}\n{m.group(3)}" + line[m.end():]
            return "\n".join(lines)
    return None


# ---------------------------------------------------------------- forms made by programs


def _program(*names: str) -> str:
    for n in names:
        path = shutil.which(n)
        if path:
            return path
    raise RuntimeError(f"需要 {names[0]}，但没有安装。")


def _chromium(args: list[str], timeout: int = 120) -> str:
    base = [_program("chromium", "chromium-browser", "google-chrome"), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-extensions"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout, check=True).stdout


def _with_head(html: str, extra: str) -> str:
    m = re.search(r"</head\s*>", html, re.I)
    return html[:m.start()] + extra + html[m.start():] if m else extra + html


def chromium_pdf(html_path: Path, out: Path, size: str) -> None:
    with tempfile.TemporaryDirectory(prefix="forms-") as tmp:
        page = Path(tmp) / html_path.name
        page.write_text(_with_head(html_path.read_text(encoding="utf-8"),
                                   f"<style>@page {{ size: {size}; margin: 12mm; }}</style>"), encoding="utf-8")
        _chromium(["--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()])


INNER = ("<script>(function(){var t=document.body.innerText;document.body.innerHTML='';"
         "var p=document.createElement('pre');p.id='inner-text-copy';p.textContent=t;document.body.appendChild(p);})()"
         "</script>")


def inner_text(html_path: Path) -> str:
    """``document.body.innerText`` of the page in Chromium."""
    from bs4 import BeautifulSoup

    html = html_path.read_text(encoding="utf-8")
    m = re.search(r"</body\s*>", html, re.I)
    html = html[:m.start()] + INNER + html[m.start():] if m else html + INNER
    with tempfile.TemporaryDirectory(prefix="forms-") as tmp:
        page = Path(tmp) / html_path.name
        page.write_text(html, encoding="utf-8")
        dom = _chromium(["--dump-dom", page.as_uri()])
    pre = BeautifulSoup(dom, "html.parser").find(id="inner-text-copy")
    if pre is None:
        raise RuntimeError(f"{html_path.name}: Chromium gave no innerText")
    return pre.get_text() + "\n"


def pdftotext(pdf: Path, layout: bool) -> str:
    args = [_program("pdftotext"), "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


def pandoc(html_path: Path, to: str) -> str:
    return subprocess.run([_program("pandoc"), "-f", "html", "-t", to, "--wrap=none", str(html_path)],
                          capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


PANDOC = {"pandoc-gfm.md": "gfm", "pandoc-pipe.md": "markdown-grid_tables-multiline_tables-simple_tables-raw_html"}


def soffice_docx(pages: list[Path], outdir: Path) -> None:
    """LibreOffice's DOCX of each page, in one run (tests/libreoffice.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from libreoffice import convert

    convert(pages, outdir, target="docx:MS Word 2007 XML")


# ---------------------------------------------------------------- all forms of the built part


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def make_forms(part: Path, cache: Path, complete_only: bool = True) -> list[tuple[str, Path, str, str]]:
    """(report name, file of the form, kind of form, the published file it was made from) for every
    complete report of ``part``; the files are made into ``cache`` (reused when their source is unchanged)."""
    import json

    out: list[tuple[str, Path, str, str]] = []
    todo_docx: list[tuple[Path, Path]] = []
    for exp in sorted((part / "expected").glob("*.json")):
        name = exp.stem
        if complete_only and not json.loads(exp.read_text(encoding="utf-8")).get("complete"):
            continue
        sources = [f for f in sorted(part.iterdir()) if f.is_file() and f.name.split(".", 1)[0] == name
                   and f.suffix != ".md"]
        for src in sources:
            folder = cache / f"{src.name}.{_digest(src)}"
            folder.mkdir(parents=True, exist_ok=True)

            def form(kind: str, make, base: Path = src) -> Path | None:
                path = folder / f"{name}.{kind}"
                if not path.exists():
                    got = make()
                    if got is None:
                        return None
                    tmp = path.with_name(path.name + ".part")
                    if isinstance(got, str):
                        tmp.write_text(got, encoding="utf-8")
                    else:
                        tmp.write_bytes(got)
                    tmp.replace(path)
                out.append((name, path, kind, base.name))
                return path

            texts: list[tuple[str, Path]] = []
            if src.suffix == ".html":
                html = src.read_text(encoding="utf-8")
                for kind, size in CHROMIUM_PAGES.items():
                    pdf = folder / f"{name}.{kind}.pdf"
                    if not pdf.exists():
                        chromium_pdf(src, pdf, size)
                    out.append((name, pdf, f"{kind}.pdf", src.name))
                    for lay in (False, True):
                        form(f"{kind}.pdftotext{'-layout' if lay else ''}.txt", lambda p=pdf, x=lay: pdftotext(p, x))
                docx = folder / f"{name}.soffice.docx"
                if not docx.exists():
                    todo_docx.append((src, folder))
                out.append((name, docx, "soffice.docx", src.name))
                texts.append(("inner-text", form("inner-text.txt", lambda: inner_text(src))))
                form("node-lines.txt", lambda: node_lines(html))
                texts.append(("tab-copy", form("tab-copy.txt", lambda: tab_copy(html))))
                for kind, to in PANDOC.items():
                    form(kind, lambda t=to: pandoc(src, t))
            elif src.suffix == ".pdf":
                for lay in (False, True):
                    form(f"pdftotext{'-layout' if lay else ''}.txt", lambda x=lay: pdftotext(src, x))
            elif src.suffix == ".txt":
                texts.append(("", src))
            for label, path in texts:
                if path is None:
                    continue
                text = path.read_text(encoding="utf-8")
                prefix = f"{label}." if label else ""
                form(f"{prefix}full-width.txt", lambda t=text: full_width(t))
                form(f"{prefix}wrapped-title.txt", lambda t=text: wrapped_title(t))
    if todo_docx:
        with tempfile.TemporaryDirectory(prefix="forms-docx-") as tmp:
            soffice_docx([s for s, _ in todo_docx], Path(tmp))
            for src, folder in todo_docx:
                made = Path(tmp) / f"{src.stem}.docx"
                shutil.move(str(made), str(folder / f"{src.name.split('.', 1)[0]}.soffice.docx"))
    return [row for row in out if row[1].exists()]
