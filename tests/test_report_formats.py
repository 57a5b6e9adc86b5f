"""The report's formats are named once (report/formats.py): every name has a renderer, and the
command line offers what is named there."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from govinfo_xlsx.cli import build_parser
from govinfo_xlsx.report import formats
from govinfo_xlsx.report.render import RENDERERS, parse_formats


def test_every_format_named_has_a_renderer():
    assert set(RENDERERS) == set(formats.FORMATS)  # graphic is rendered apart (report/graphic.py)
    assert parse_formats(",".join([*formats.FORMATS, *formats.EXTRA_FORMATS])) == (*formats.FORMATS, *formats.EXTRA_FORMATS)


def test_the_help_offers_the_formats_named(monkeypatch):
    monkeypatch.setitem(formats.FORMATS, "odt", "OpenDocument")
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args(["ingest", "--help"])
    text = "".join(out.getvalue().split())  # argparse wraps the help
    named = list(formats.FORMATS)
    assert named[-1] == "odt" and ",".join(named) in text and f"默认{'、'.join(named)}" in text
    assert "graphic（图解，PNG和SVG）" in text
