"""The DTD check of large parts reads only their prolog; it still finds every DTD."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import CASES

from govinfo_xlsx.errors import UnreadableWorkbookError
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.reading.intake import KEEP_BYTES, open_package
from govinfo_xlsx.template.writer import build_template

ROOT = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
PAD = b"<!--" + b" " * (KEEP_BYTES + 100) + b"-->"  # a large part: its prolog is read, not all of it


def _with_sheet(xml: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(build_template(form_for_year(CASES[0][1]), CASES[0][1])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?>' + PAD + b'<?pi x?><!DOCTYPE w [<!ENTITY a "b">]>' + ROOT + PAD,
    b"\n" + PAD + b'<!DOCTYPE w SYSTEM "http://example.com/w.dtd">' + ROOT,
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "b">]>'.encode("utf-16")
     + ROOT.decode().encode("utf-16-le") + PAD.decode().encode("utf-16-le")),
], ids=["after-a-long-comment", "external", "utf-16"])
def test_a_dtd_in_a_large_part_is_refused(xml):
    with pytest.raises(UnreadableWorkbookError, match="DOCTYPE"):
        open_package("x.xlsx", _with_sheet(xml))


def test_text_after_the_root_element_is_not_read_for_the_check():
    xml = b'<?xml version="1.0"?>' + ROOT[:-len(b"</worksheet>")] + PAD + b"<![CDATA[<!DOCTYPE]]></worksheet>"
    pkg = open_package("x.xlsx", _with_sheet(xml))
    assert "xl/worksheets/sheet1.xml" not in pkg.parts  # not decompressed yet
    assert pkg.read("xl/worksheets/sheet1.xml") == xml and "xl/worksheets/sheet1.xml" in pkg.parts
