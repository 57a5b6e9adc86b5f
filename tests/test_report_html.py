"""The HTML report's tables on a phone, on a desktop and on paper.

Static checks of the markup and, where Chromium is installed, measurements in headless Chromium:
at 390 px each table scrolls sideways inside its own box and the page itself does not; at 1280 px
no label of a table is broken inside a word; printed, table 三 sits on one page with its heading.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chromium import Browser, chromium
from conftest import require
from test_report_docx import example_context, gov2021_context
from test_report_pdf import page_count, pdf_text, six_digit_context

from govinfo_xlsx.report.render import render_html

# The layout measured in headless Chromium: what each table does at the window's width (an object).
MEASURE = """
(function () {
  const out = {page: document.documentElement.scrollWidth, width: window.innerWidth, tables: [], broken: [],
               overflow: []};
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    out.tables.push({scrolls: wrap.scrollWidth > wrap.clientWidth + 1, inside: wrap.clientWidth <= window.innerWidth});
  }
  for (const cell of document.querySelectorAll('th, td')) {
    if (cell.scrollWidth > cell.clientWidth + 1) out.overflow.push(cell.textContent);
  }
  for (const th of document.querySelectorAll('th.kw, td.num')) {
    for (const node of th.childNodes) {
      if (node.nodeType !== 3) continue;
      let top = null;
      for (let i = 0; i < node.length; i++) {
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
        const rect = r.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && Math.abs(rect.top - top) > 2) { out.broken.push(node.data); break; }
        top = rect.top;
      }
    }
  }
  return out;
})()
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for every measurement and print of this file."""
    exe = require(chromium(), "Chromium", "the layout is measured in a headless browser")
    with Browser(exe, tmp_path_factory.mktemp("chromium-profile")) as b:
        yield b


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("html")
    out = {}
    for key, context in (("gov-2019", example_context()), ("gov-2021", gov2021_context(tmp)),
                         ("six-digit", six_digit_context(tmp))):
        path = tmp / f"{key}.html"
        path.write_bytes(render_html(context))
        out[key] = path
    return out


def test_tables_scroll_in_their_own_box_with_a_minimum_width(pages):
    html = pages["gov-2021"].read_text(encoding="utf-8")
    assert re.search(r"\.table-wrap \{[^}]*overflow-x: auto", html)
    for key in ("table2", "table3", "table4"):
        assert re.search(rf'<table class="t-{key}" style="min-width: \d+(\.\d)?em"', html)
        assert f'<div class="table-wrap t-{key}' in html
    assert html.count("<colgroup>") == 3


def test_short_labels_may_break_only_between_words(pages):
    html = pages["gov-2021"].read_text(encoding="utf-8")
    assert '>商业<wbr>企业</th>' in html and '>社会<wbr>公益<wbr>组织</th>' in html
    assert '>自然人</th>' in html and '>（三）<wbr>不予<wbr>公开</th>' in html
    assert re.search(r"th\.kw \{ word-break: keep-all;", html)
    assert re.search(r"td\.num \{ white-space: nowrap;", html)


STICKY_KEYS = ("gov-2019", "six-digit")  # the pages whose 表三 is scrolled (STICKY)


PHONE = 500  # narrower than this is a phone (a window cannot be made this narrow: Chromium's least is 500 px)


def _probe(browser: Browser, page: Path, width: int) -> dict:
    """``page`` in a tab ``width`` px wide (under PHONE px as a phone shows it): {"measure": MEASURE,
    "sticky": STICKY (for STICKY_KEYS)}; the layout is measured first, then 表三 scrolled."""
    with browser.tab(page, width=width, mobile=width < PHONE) as tab:
        out = {"measure": browser.evaluate(tab, MEASURE)}
        if page.stem in STICKY_KEYS:
            out["sticky"] = browser.evaluate(tab, STICKY)
    return out


@pytest.fixture(scope="module")
def probes(pages, browser):
    """(page, width) -> _probe's results, each page opened once per width."""
    done: dict[tuple[str, int], dict] = {}

    def get(key: str, width: int) -> dict:
        if (key, width) not in done:
            done[key, width] = _probe(browser, pages[key], width)
        return done[key, width]

    return get


def _measure(probes, key: str, width: int) -> dict:
    return probes(key, width)["measure"]


@pytest.mark.parametrize("key", ["gov-2019", "gov-2021", "six-digit"])
def test_phone_width_scrolls_tables_not_the_page(probes, key):
    got = _measure(probes, key, 390)
    assert got["width"] == 390  # laid out at the phone's width (the page's viewport tag), not zoomed out
    assert got["page"] <= got["width"]  # the page does not scroll sideways
    assert all(t["inside"] for t in got["tables"])
    assert any(t["scrolls"] for t in got["tables"])  # table 三 and 四 keep their width and scroll
    assert got["broken"] == [] and got["overflow"] == []  # no word broken, none running out of its cell


@pytest.mark.parametrize("key", ["gov-2019", "gov-2021", "six-digit"])
def test_desktop_width_breaks_no_label_inside_a_word(probes, key):
    got = _measure(probes, key, 1280)
    assert got["broken"] == [] and got["overflow"] == []
    assert not any(t["scrolls"] for t in got["tables"])


@pytest.mark.parametrize("key", ["gov-2019", "gov-2021", "six-digit"])
def test_table3_printed_on_one_page(pages, browser, key, tmp_path):
    with browser.tab(pages[key]) as tab:
        pdf = browser.print_pdf(tab, tmp_path / f"{key}.pdf")
    pages_text = pdf_text(pdf).split("\f")
    assert len(pages_text) >= page_count(pdf)
    first = next(i for i, p in enumerate(pages_text) if "三、收到和处理政府信息公开申请情况" in p)
    squashed = re.sub(r"\s+", "", pages_text[first])
    assert "申请人情况" in squashed and "四、结转下年度继续办理" in squashed
    assert all("申请人情况" not in p for p in pages_text[first + 1:])  # no repeated header: not split


# 表三 on a phone: the hint, and the labels kept in place while the figures scroll (an object).
STICKY = """
(function () {
  const wrap = document.querySelector('.table-wrap.t-table3');
  const hint = document.querySelector('.hint-table3');
  const label = wrap.querySelector('tbody th.stick');
  const first = wrap.querySelector('tbody tr td.num').parentElement;
  const before = label.getBoundingClientRect().left;
  const visible = [...first.querySelectorAll('td.num')].filter(
    td => td.getBoundingClientRect().right <= window.innerWidth).length;
  wrap.scrollLeft = 200;
  const out = {hint: getComputedStyle(hint).display, before: before, after: label.getBoundingClientRect().left,
               scrolled: wrap.scrollLeft, visible: visible};
  return out;
})()
"""


@pytest.mark.parametrize("key", STICKY_KEYS)
def test_phone_shows_figures_beside_sticky_labels_with_a_scroll_hint(probes, key):
    """At 390 px 表三's first screen shows figures beside the labels; the labels stay while the
    figures scroll, and a hint says the table scrolls. At 1280 px there is no hint."""
    got = probes(key, 390)["sticky"]
    assert got["hint"] == "block" and got["scrolled"] > 0
    assert got["visible"] >= 2
    assert abs(got["after"] - got["before"]) < 1
    assert probes(key, 1280)["sticky"]["hint"] == "none"
