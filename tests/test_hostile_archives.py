"""Hostile input to collect: archives and files as a coordinating office receives them by mail.

Whatever one input holds, the batch finishes, the summary is written, the input becomes a 无法读取 row
with a reason a clerk can act on, every valid file is in the summary, and nothing else is written.
"""

from __future__ import annotations

import os
import zipfile

import pytest
from fill import consistent_values, fill
from hostile import bad_crc, collect_rows, encrypted, snapshot, unknown_version, zip_of

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
AGENCIES = ("甲局", "乙局", "丙局")
# The inbox's valid workbooks are files of other agencies than the archives' members: two files of one
# agency would be a re-submission (collect/resubmit.py), the older one shown as 已替换.
INBOX_AGENCY = "{}（收件箱）"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, bytes]:
    d = tmp_path_factory.mktemp("books")
    template = write_template(FORM, 2026, d / "template.xlsx")
    out = {}
    for name in (*AGENCIES, *map(INBOX_AGENCY.format, AGENCIES)):
        v = consistent_values(FORM, 2026)
        v["INFO_agency"] = name
        out[name] = fill(template, v, d / f"{name}.xlsx").read_bytes()
    return out


def _inbox(tmp_path, books, archive_name: str, archive_bytes: bytes):
    """An inbox with the three valid workbooks (甲局.xlsx, ... of agencies of their own) and one hostile
    archive."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in AGENCIES:
        (inbox / f"{name}.xlsx").write_bytes(books[INBOX_AGENCY.format(name)])
    (inbox / archive_name).write_bytes(archive_bytes)
    return inbox


def _by_file(rows):
    return {r["file"].rsplit("/", 1)[-1]: r for r in rows}


def _check(capsys, tmp_path, inbox, jobs=1):
    before = snapshot(inbox)
    code, rows, err = collect_rows(capsys, [inbox], tmp_path / "out", "--jobs", str(jobs))
    assert snapshot(inbox) == before  # inputs never modified
    files = _by_file(rows)
    for name in AGENCIES:  # every valid file of the batch is in the summary
        assert files[f"{name}.xlsx"]["status"] in ("通过", "仅警告"), files
    return code, rows, files


@pytest.mark.parametrize("jobs", [1, 2])
def test_password_protected_zip(books, tmp_path, capsys, jobs):
    z = encrypted(zip_of([("乙局.xlsx", books["乙局"])]))
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "加密.zip", z), jobs)
    bad = [r for r in rows if "加密.zip" in r["file"]]
    assert len(bad) == 1 and bad[0]["status"] == "无法读取"
    assert "加密的压缩包：请解压或提供不加密的文件" in bad[0]["notes"] and code == 1


def test_one_encrypted_member_among_plain_ones(books, tmp_path, capsys):
    z = encrypted(zip_of([("甲局.xlsx", books["甲局"]), ("乙局.xlsx", books["乙局"])]), only="乙局.xlsx")
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z))
    assert files["附件.zip!甲局.xlsx"]["status"] in ("通过", "仅警告")
    assert files["附件.zip!乙局.xlsx"]["status"] == "无法读取" and "加密" in files["附件.zip!乙局.xlsx"]["notes"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_member_with_a_bad_crc(books, tmp_path, capsys, jobs):
    z = bad_crc(zip_of([("甲局.xlsx", books["甲局"]), ("乙局.xlsx", books["乙局"])]), only="乙局.xlsx")
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z), jobs)
    assert files["附件.zip!甲局.xlsx"]["status"] in ("通过", "仅警告")
    bad = files["附件.zip!乙局.xlsx"]
    assert bad["status"] == "无法读取" and "损坏" in bad["notes"] and "重新打包" in bad["notes"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_zip_version_nobody_knows(books, tmp_path, capsys, jobs):
    """A damaged header asking for zip version 8.4, in a workbook, in an archive and in an archive
    inside an archive: each is one 无法读取 row saying it is damaged (zipfile raised
    NotImplementedError, which went past every handler)."""
    workbook = unknown_version(books["甲局"], only="xl/workbook.xml")
    nested = zip_of([("丙局.xlsx", books["丙局"])])
    outer = zip_of([("甲局.xlsx", workbook), ("内层.zip", unknown_version(nested))])
    inbox = _inbox(tmp_path, books, "附件.zip", outer)
    (inbox / "整包.zip").write_bytes(unknown_version(zip_of([("乙局.xlsx", books["乙局"])])))
    code, rows, files = _check(capsys, tmp_path, inbox, jobs)
    for name in ("附件.zip!甲局.xlsx", "附件.zip!内层.zip", "整包.zip"):
        assert files[name]["status"] == "无法读取" and "损坏" in files[name]["notes"], (name, files[name])
    assert code == 1


def test_a_workbook_with_a_zip_version_nobody_knows_is_refused_in_one_line(books, tmp_path, capsys):
    """The library raises its own error (it raised NotImplementedError), and the CLI says the file is
    damaged (it said 读取时出错（NotImplementedError）)."""
    from govinfo_xlsx.cli import ingest_main
    from govinfo_xlsx.errors import UnreadableWorkbookError
    from govinfo_xlsx.checks.ingest import ingest

    path = tmp_path / "甲局.xlsx"
    path.write_bytes(unknown_version(books["甲局"]))
    with pytest.raises(UnreadableWorkbookError, match="已损坏"):
        ingest(path)
    assert ingest_main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "甲局.xlsx" in err and "已损坏或不完整" in err and "NotImplementedError" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("cut", [0.3, 0.9, 0.999])
def test_truncated_outer_zip_is_one_row_saying_so(books, tmp_path, capsys, cut):
    z = zip_of([(f"{n}.xlsx", books[n]) for n in AGENCIES])
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z[: int(len(z) * cut)]))
    bad = [r for r in rows if "附件.zip" in r["file"]]
    assert len(bad) == 1 and bad[0]["status"] == "无法读取" and "不完整" in bad[0]["notes"]


def test_central_directory_listing_fewer_members_than_declared(books, tmp_path, capsys):
    """An archive whose end record declares more members than its directory lists was cut: never show
    only part of it silently."""
    import struct

    z = bytearray(zip_of([(f"{n}.xlsx", books[n]) for n in AGENCIES]))
    end = z.rfind(b"PK\x05\x06")
    z[end + 8:end + 12] = struct.pack("<HH", 5, 5)  # entries on this disk, in total
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", bytes(z)))
    bad = [r for r in rows if "附件.zip" in r["file"]]
    assert len(bad) == 1 and bad[0]["status"] == "无法读取" and "不完整" in bad[0]["notes"]


def test_nested_zip_is_read_and_deeper_nesting_reported(books, tmp_path, capsys):
    inner = zip_of([("乙局.xlsx", books["乙局"])])
    deeper = zip_of([("第三层.zip", zip_of([("丙局.xlsx", books["丙局"])]))])
    z = zip_of([("报送/内层.zip", inner), ("过深.zip", deeper)])
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "外层.zip", z))
    assert files["内层.zip!乙局.xlsx"]["status"] in ("通过", "仅警告")
    assert files["内层.zip!乙局.xlsx"]["agency"] == "乙局"
    deep = [r for r in rows if "第三层.zip" in r["file"]]
    assert len(deep) == 1 and deep[0]["status"] == "无法读取" and "嵌套过深" in deep[0]["notes"]
    assert not any("xl/workbook.xml" in r["notes"] for r in rows)


def test_duplicate_member_names_keep_both_files(books, tmp_path, capsys):
    z = zip_of([("年报.xlsx", books["甲局"]), ("年报.xlsx", books["乙局"])])
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z))
    mine = [r for r in rows if "附件.zip!" in r["file"]]
    assert sorted(r["agency"] for r in mine) == ["乙局", "甲局"]
    assert len({r["file"] for r in mine}) == 2 and any("第2个同名文件" in r["file"] for r in mine)


def test_gbk_member_names_and_gbk_file_names_on_disk(books, tmp_path, capsys):
    """Names in GBK bytes: inside a zip without the UTF-8 flag, and on disk as Linux unzip leaves them."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "附件.zip").write_bytes(zip_of([("报送/甲局年报.xlsx", books["甲局"])], gbk=True))
    raw = os.path.join(os.fsencode(inbox), "乙局年报.xlsx".encode("gbk"))
    with open(raw, "wb") as f:
        f.write(books["乙局"])
    before = snapshot(inbox)
    code, rows, err = collect_rows(capsys, [inbox], tmp_path / "out")
    assert snapshot(inbox) == before
    files = _by_file(rows)
    assert files["附件.zip!报送/甲局年报.xlsx".rsplit("/", 1)[-1]]["agency"] == "甲局"
    assert files["乙局年报.xlsx"]["agency"] == "乙局" and files["乙局年报.xlsx"]["status"] in ("通过", "仅警告")


def test_huge_file_is_refused_before_it_is_read(books, tmp_path, capsys, monkeypatch):
    """A file of several GB (sparse here) is refused by its size; nothing reads it into memory."""
    inbox = _inbox(tmp_path, books, "说明.txt", b"")
    huge = inbox / "录像.xlsx"
    with open(huge, "wb") as f:
        f.truncate(6 * 1024**3)
    monkeypatch.setattr("builtins.open", _refusing_reads(huge))  # any read of it fails the test
    code, rows, files = _check(capsys, tmp_path, inbox)
    assert files["录像.xlsx"]["status"] == "无法读取" and "文件过大" in files["录像.xlsx"]["notes"]


def _refusing_reads(path):
    import builtins

    real_open = builtins.open

    class Guard:
        def __init__(self, f):
            self._f = f

        def read(self, *a):
            raise AssertionError(f"{path} was read")

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

    def guarded(file, *a, **kw):
        f = real_open(file, *a, **kw)
        return Guard(f) if str(file) == str(path) else f

    return guarded


def test_huge_member_is_refused_by_its_size(books, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("govinfo_xlsx.collect.archive.MAX_FILE_BYTES", 100_000)
    z = zip_of([("大文件.xlsx", b"\0" * 200_000), ("甲局.xlsx", books["甲局"])])
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z))
    assert "文件过大" in files["附件.zip!大文件.xlsx"]["notes"]
    assert files["附件.zip!甲局.xlsx"]["status"] in ("通过", "仅警告")


def test_member_count_is_bounded_and_reported(books, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("govinfo_xlsx.collect.archive.MAX_MEMBERS", 50)
    z = zip_of([(f"{i}.txt", b"x") for i in range(51)])
    code, rows, files = _check(capsys, tmp_path, _inbox(tmp_path, books, "附件.zip", z))
    bad = [r for r in rows if "附件.zip" in r["file"]]
    assert len(bad) == 1 and "文件过多" in bad[0]["notes"] and "分成几个压缩包" in bad[0]["notes"]


def test_an_archive_is_opened_once_whatever_its_size(books, tmp_path, monkeypatch):
    """Many members are streamed: the directory is read for the listing and once more for reading,
    not once per member (which made 4,000 members take 36 s)."""
    from govinfo_xlsx.collect.run import collect

    z = zip_of([(f"{i:04d}.xlsx", books[AGENCIES[i % 3]]) for i in range(60)])
    path = tmp_path / "附件.zip"
    path.write_bytes(z)
    opened = []
    real_init = zipfile.ZipFile.__init__

    def counting(self, file, *a, **kw):
        if getattr(file, "name", file) == str(path):
            opened.append(1)
        real_init(self, file, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    with collect([str(path)]) as col:
        assert len(list(col.rows())) == 60
    assert len(opened) == 2


def test_a_damaged_zip_next_to_good_ones_in_parallel(books, tmp_path, capsys):
    inbox = _inbox(tmp_path, books, "坏.zip", b"PK\x03\x04" + os.urandom(3000))
    (inbox / "好.zip").write_bytes(zip_of([("甲局.xlsx", books["甲局"])]))
    code, rows, files = _check(capsys, tmp_path, inbox, jobs=2)
    assert files["好.zip!甲局.xlsx"]["status"] in ("通过", "仅警告")
    assert files["坏.zip"]["status"] == "无法读取" and "重新打包" in files["坏.zip"]["notes"]


def test_files_and_archives_named_directly(books, tmp_path, capsys):
    """collect FILE FILE ARCHIVE (not a folder): the same rows, the same isolation."""
    inbox = _inbox(tmp_path, books, "加密.zip", encrypted(zip_of([("丙局.xlsx", books["丙局"])])))
    (inbox / "附件.zip").write_bytes(zip_of([("甲局.xlsx", books["甲局"])]))
    (inbox / "坏.xlsx").write_bytes(books["乙局"][:5000])
    before = snapshot(inbox)
    named = [inbox / "乙局.xlsx", inbox / "坏.xlsx", inbox / "附件.zip", inbox / "加密.zip"]
    code, rows, err = collect_rows(capsys, named, tmp_path / "out", "--jobs", "2")
    files = _by_file(rows)
    assert set(files) == {"乙局.xlsx", "坏.xlsx", "附件.zip!甲局.xlsx", "加密.zip"}
    assert files["乙局.xlsx"]["status"] in ("通过", "仅警告") and files["附件.zip!甲局.xlsx"]["status"] in ("通过", "仅警告")
    assert files["坏.xlsx"]["status"] == "无法读取" and files["加密.zip"]["status"] == "无法读取" and code == 1
    assert snapshot(inbox) == before


@pytest.mark.parametrize("where", ["listing", "member"])
def test_an_unforeseen_failure_in_one_archive_does_not_stop_the_batch(books, tmp_path, capsys, monkeypatch, where):
    """Whatever an archive raises while it is listed or a member read (here a KeyError nobody
    foresaw), it becomes 无法读取 rows and every other file of the batch is checked."""
    from govinfo_xlsx.collect import archive

    inbox = _inbox(tmp_path, books, "附件.zip", zip_of([("甲局.xlsx", books["甲局"])]))
    (inbox / "另一包.zip").write_bytes(zip_of([("乙局.xlsx", books["乙局"])]))
    if where == "listing":
        real = archive._archive_problem

        def problem(z, infos):
            if any(i.filename == "甲局.xlsx" for i in infos):
                raise KeyError("unforeseen")
            return real(z, infos)
        monkeypatch.setattr(archive, "_archive_problem", problem)
    else:
        real_member = archive.ArchiveReader._member

        def member(self, source):
            if source.name.endswith("甲局.xlsx"):
                raise KeyError("unforeseen")
            return real_member(self, source)
        monkeypatch.setattr(archive.ArchiveReader, "_member", member)
    code, rows, files = _check(capsys, tmp_path, inbox)
    bad = [r for r in rows if "附件.zip" in r["file"]]
    assert len(bad) == 1 and bad[0]["status"] == "无法读取" and "KeyError" in bad[0]["notes"], bad
    assert files["另一包.zip!乙局.xlsx"]["status"] in ("通过", "仅警告") and code == 1
