"""Measure extract on the real published reports against their hand readings.

    python scripts/measure_published.py            # the built part: tests/fixtures/published
    python scripts/measure_published.py --holdout  # the hold-out: tests/fixtures/holdout (measure once, at the end)
    python scripts/measure_published.py --json out.json
    python scripts/measure_published.py --variants  # the forms an unseen site would give (published_forms.py)

Every report has a hand reading in ``<part>/expected/<name>.json`` (see the part's SOURCES.md); every file
of the part named ``<name>.<anything>`` is one published form of it (page, PDF, DOCX, text). For each file
the script runs ``extract`` and prints:

- false 错误 (and 警告): each error or warning is matched to one entry of the hand reading, a defect found by
  reading or a finding it accepts as defensible, by rule and place (see ``match``); every one left unmatched
  is false, so a second 错误 of a rule the reading lists once is false too. On excerpts cut by a store,
  statements that something is missing are right, not false. A complete report refused as "not an annual
  report" counts as one false 错误;
- 表三 and 表四 cells read right where the text holds the table (its cells can be told apart: laid out
  as a table, spaced, or every cell a single digit), by layout; apart from them, cells right/wrong/not read
  where multi-digit cells run together or a converter parted rows of numbers from their labels;
- every table the text holds that was not read, and whether the tool stated that (its status in
  ``published["tables"]`` 无法核对 or 未找到, or a finding naming the table as unchecked or not found);
- known defects found, out of those found by reading.

With ``--variants`` the same is measured, by kind of form, on the forms ``scripts/published_forms.py`` makes
of every complete report of the built part (printed PDF and its text, DOCX, innerText, one node a line,
pandoc Markdown, full-width digits, wrapped titles): a table whose blank cells leave no trace in a form
(one node a line, PDF text without layout) is measured apart, as ``blank-cells-lost``.

The hold-out must not be used to build or tune the reader, nor by tests: run --holdout once, at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTS = {"published": ROOT / "tests" / "fixtures" / "published", "holdout": ROOT / "tests" / "fixtures" / "holdout"}
SHEETS = {"table2": "表二", "table3": "表三", "table4": "表四"}
# layouts in which the text holds the table: a reader can tell every cell from the next
HOLDS = {"structured", "spaced", "runs-of-single-digits"}
# layouts in which the numbers are all there but a reader cannot tell every cell from its row by layout alone:
# multi-digit cells run together (only the row's sums part them), or a converter's text whose rows of numbers
# are parted from their labels (only the order of the rows places them), or a site archive's text that leaves out a
# line equal to the one before it so a run of equal cells shows once (only the row's sums place them); measured apart
NOT_HELD = {"run-together", "rows-parted", "repeats-collapsed"}
# findings that state something was not found (right on an excerpt, a statement that a table was not read)
NOT_FOUND = {"pub-table-missing", "pub-table-empty", "pub-row-missing", "pub-cell-missing", "pub-part-missing",
             "pub-part-empty", "pub-format-unknown", "pub-year-unknown", "pub-agency-unknown"}
UNCHECKED = "无法核对"


@dataclass
class Tally:
    files: int = 0
    false_errors: int = 0
    false_warnings: int = 0
    refused: int = 0
    cells: dict[str, list[int]] = field(default_factory=dict)  # layout -> [right, in source]
    not_held: dict[str, list[int]] = field(default_factory=dict)  # layout -> [right, wrong, not read]
    tables_not_read: int = 0
    tables_not_read_stated: int = 0
    defects: int = 0
    defects_found: int = 0
    verdict_pass_on_incomplete: int = 0
    year_or_agency_wrong: int = 0  # complete reports whose year or agency was read otherwise than by hand

    def merge(self, other: "Tally") -> None:
        for k, v in vars(other).items():
            if isinstance(v, int):
                setattr(self, k, getattr(self, k) + v)
            else:
                for lay, counts in v.items():
                    mine = getattr(self, k).setdefault(lay, [0] * len(counts))
                    mine[:] = [a + b for a, b in zip(mine, counts)]

    @property
    def run_together(self) -> list[int]:
        return self.not_held.get("run-together", [0, 0, 0])

    def apart(self, lay: str) -> list[int]:
        return self.not_held.setdefault(lay, [0, 0, 0])


def reports(part: Path) -> list[tuple[str, Path, dict]]:
    """(name, file, hand reading) for every published form of every report of a part."""
    out = []
    for exp in sorted((part / "expected").glob("*.json")):
        name = exp.stem
        hand = json.loads(exp.read_text(encoding="utf-8"))
        for f in sorted(part.iterdir()):
            if f.is_file() and f.name.split(".", 1)[0] == name and f.suffix != ".md":
                out.append((name, f, hand))
    return out


def layout(hand: dict, table: str, file: str = "") -> str:
    """How the source lays out a table: a hand reading says so for text whose cells may run together
    (``layout``, or ``layout_by_file`` for one published form); otherwise a table typed by hand is one
    laid out as a table, and one not typed is absent."""
    given = ((hand.get("layout_by_file") or {}).get(file) or {}).get(table) or (hand.get("layout") or {}).get(table)
    if given:
        return given
    return "structured" if hand.get(table) and any(k != "columns" for k in hand[table]) else "absent"


def expected_cells(form, hand: dict, table: str) -> dict[str, Any]:
    """Defined name -> value typed by hand (None: blank in the source) for one of table2/3/4."""
    got = hand.get(table) or {}
    out: dict[str, Any] = {}
    if table == "table2":
        for blk in form.table2.blocks:
            g = got.get(blk.key)
            for row in blk.rows:
                if g and row.key in g:
                    out.update((blk.cell_name(row.key, c), v) for c, v in zip(g["columns"], g[row.key]))
        return out
    t = form.table3 if table == "table3" else form.table4
    for row, values in got.items():
        if row != "columns":
            out.update((t.cell_name(row, c), v) for c, v in zip(got["columns"], values))
    return out


# the sheet a rule's findings are on, where the rule says it: a hand reading need not repeat it
RULE_SHEET = (("t2-", "表二"), ("t3-", "表三"), ("t4-", "表四"), ("pub-prose-", "正文"), ("pub-part-", "正文"),
              ("pub-published-", "正文"), ("pub-wrong-format", "正文"), ("pub-year-", "正文"), ("pub-agency-", "正文"))
# place keys of a hand reading's entry -> the finding's attribute they are compared with
PLACE = {"sheet": "sheet", "row": "row_label", "col": "col_label", "cell": "cell", "actual": "actual"}


def _sheet_of(d: dict) -> str | None:
    return d.get("sheet") or next((s for p, s in RULE_SHEET if d["rule"].startswith(p)), None)


def _matches(f, d: dict) -> bool:
    """Whether finding ``f`` is the one hand-read entry ``d`` means: the same rule, on the same sheet (given
    by the entry, or implied by the rule), and at the same place wherever the entry gives one: ``row`` (the
    finding's row label), ``col``, ``cell`` (its location, e.g. "第11段"), ``actual`` (the value as found),
    ``says`` (words of its message, e.g. the heading a numbering finding quotes)."""
    if f.rule != d["rule"]:
        return False
    sheet = _sheet_of(d)
    if sheet is not None and f.sheet != sheet:
        return False
    if any(k in d and getattr(f, attr, None) != d[k] for k, attr in PLACE.items() if k != "sheet"):
        return False
    return "says" not in d or d["says"] in (f.message or "")


def match(findings: list, entries: list[dict]) -> tuple[dict[int, int], list[int], list[int]]:
    """One finding to one entry: a maximum matching of ``findings`` to the hand reading's ``entries`` (defects
    first, then defensible ones), as {finding index: entry index}, with the findings and entries left over.
    Entries listed first keep their finding when two could take it (augmenting paths never unmatch an entry),
    so a defect is found before a defensible entry takes its finding."""
    owner: dict[int, int] = {}  # finding index -> entry index

    def take(e: int, seen: set[int]) -> bool:
        for i, f in enumerate(findings):
            if i in seen or not _matches(f, entries[e]):
                continue
            seen.add(i)
            if i not in owner or take(owner[i], seen):
                owner[i] = e
                return True
        return False

    for e in range(len(entries)):
        take(e, set())
    used = set(owner.values())
    return owner, [i for i in range(len(findings)) if i not in owner], [e for e in range(len(entries)) if e not in used]


def _stated_unchecked(report, table: str) -> bool:
    sheet = SHEETS[table]
    pub = getattr(report, "published", {}) or {}
    status = (pub.get("tables") or {}).get(sheet) or (pub.get("tables") or {}).get(table)
    if isinstance(status, dict):
        status = status.get("status")
    if isinstance(status, str) and (UNCHECKED in status or "未找到" in status):
        return True
    for f in report.findings:
        text = f"{f.sheet} {f.cell} {f.message}"
        if (f.rule in NOT_FOUND or UNCHECKED in f.message or UNCHECKED in str(f.severity.value)) and sheet in text:
            return True
    return False


def measure_file(name: str, path: Path, hand: dict, tally: Tally) -> dict:
    from govinfo_xlsx.errors import GovinfoError
    from govinfo_xlsx.extract.run import extract
    from govinfo_xlsx.forms import get_form
    from govinfo_xlsx.forms.data import flat_values

    complete = bool(hand.get("complete"))
    row: dict[str, Any] = {"file": path.name, "complete": complete}
    skip = set(((hand.get("layout_by_file") or {}).get(path.name) or {}).get("skip_defects", ()))
    if skip:  # defects this published form cannot show (e.g. a unit run into the next cell)
        hand = {**hand, "defects": [d for d in hand.get("defects", []) if d["rule"] not in skip]}
    tally.files += 1
    tally.defects += len(hand.get("defects", []))
    try:
        report = extract(path)
    except GovinfoError as e:
        row["refused"] = str(e)
        tally.refused += 1
        if complete:
            tally.false_errors += 1
        for table in ("table3", "table4"):
            lay = layout(hand, table, path.name)
            form = get_form(hand["form"])
            n = len(expected_cells(form, hand, table))
            if lay in HOLDS:
                tally.cells.setdefault(lay, [0, 0])[1] += n
            elif lay != "absent":
                tally.apart(lay)[2] += n
            if lay != "absent":
                tally.tables_not_read += 1
        row.update(false_errors=int(complete), defects_found=0)
        return row
    # the agency as the text prints it, where a converter misread it ("agency_printed": 沐阳县 for 沭阳县)
    agency = hand.get("agency_printed", hand.get("agency"))
    if complete and (getattr(report, "year", hand.get("year")), getattr(report, "agency", agency)) \
            != (hand.get("year"), agency):
        row["identity"] = [getattr(report, "year", None), getattr(report, "agency", None)]
        tally.year_or_agency_wrong += 1
    form = get_form(report.form)
    values = flat_values(form, report.data)
    status = report.published.get("cell_status", {})
    defects = hand.get("defects", [])
    known = defects + hand.get("defensible", [])
    serious = [f for f in report.findings if f.severity.value in ("错误", "警告")]
    owner, left, unused = match(serious, known)
    false = [serious[i] for i in left if complete or serious[i].rule not in NOT_FOUND]
    row["false"] = [f"{f.severity.value} {f.rule} {f.sheet} {f.message[:60]}" for f in false]
    row["false_errors"] = sum(f.severity.value == "错误" for f in false)
    tally.false_errors += row["false_errors"]
    tally.false_warnings += sum(f.severity.value == "警告" for f in false)
    # a defect no 错误/警告 took may be stated as a 提示 (e.g. a sentence left over from last year)
    hints = [f for f in report.findings if f.severity.value not in ("错误", "警告")]
    later, _, _ = match(hints, [known[e] for e in unused if e < len(defects)])
    found = [e for e in owner.values() if e < len(defects)] + list(later.values())
    row["defects_found"] = len(found)
    row["defects"] = len(hand.get("defects", []))
    tally.defects_found += len(found)
    row["tables"] = {}
    same_form = report.form == hand["form"]
    for table in ("table3", "table4"):
        lay = layout(hand, table, path.name)
        want = expected_cells(get_form(hand["form"]), hand, table)
        right = wrong = unread = 0
        for n, v in want.items():
            st = status.get(n, "missing") if same_form else "missing"
            if st == "missing":
                unread += 1
            elif (v is None and st == "blank") or (st == "ok" and values.get(n) == v):
                right += 1
            else:
                wrong += 1
        info = {"layout": lay, "cells": len(want), "right": right, "wrong": wrong, "not_read": unread}
        if lay in HOLDS:
            c = tally.cells.setdefault(lay, [0, 0])
            c[0] += right
            c[1] += len(want)
        elif lay != "absent":
            c = tally.apart(lay)
            c[0] += right
            c[1] += wrong
            c[2] += unread
        if lay != "absent" and want and right + wrong == 0:
            tally.tables_not_read += 1
            info["stated"] = _stated_unchecked(report, table)
            tally.tables_not_read_stated += info["stated"]
        row["tables"][SHEETS[table]] = info
    if report.ok and (not complete or tally_unread(row)):  # an excerpt, or cells not read, passed
        tally.verdict_pass_on_incomplete += 1
        row["passed_unread"] = True
    return row


def tally_unread(row: dict) -> bool:
    return any(t["not_read"] for t in row.get("tables", {}).values())


def summary(t: Tally) -> dict:
    held_right = sum(c[0] for c in t.cells.values())
    held = sum(c[1] for c in t.cells.values())
    return {
        "files": t.files,
        "false_errors": t.false_errors, "false_warnings": t.false_warnings, "refused_as_not_a_report": t.refused,
        "cells_read_right_where_the_text_holds_the_table": [held_right, held],
        "share": round(held_right / held * 100, 2) if held else None,
        "by_layout": {k: v for k, v in sorted(t.cells.items())},
        "run_together_tables_right_wrong_not_read": t.run_together,
        "other_layouts_right_wrong_not_read": {k: v for k, v in sorted(t.not_held.items()) if k != "run-together"},
        "tables_not_read": t.tables_not_read, "of_which_stated_unchecked": t.tables_not_read_stated,
        "defects_found": [t.defects_found, t.defects],
        "passed_with_cells_not_read": t.verdict_pass_on_incomplete,
        "year_or_agency_wrong": t.year_or_agency_wrong,
    }


# forms in which a blank cell leaves no trace: a row's numbers cannot be put in their columns when it has one
NO_BLANKS = ("node-lines", "pdftotext.txt", "pdftotext-layout")


def variant_layout(hand: dict, table: str, kind: str, base: str) -> str:
    """How a form made from ``base`` lays out a table: as ``base`` does, except that a table with blank
    cells loses them where the form gives a cell a line or drops the spaces between cells."""
    lay = layout(hand, table, base)
    blanks = any(v is None for row, vals in (hand.get(table) or {}).items() if row != "columns" for v in vals)
    if lay in HOLDS and blanks and (kind.startswith("node-lines") or kind.endswith("pdftotext.txt")):
        return "blank-cells-lost"
    return lay


def measure_variants(part: Path, cache: Path, only: str = "") -> tuple[list[dict], dict[str, Tally], Tally]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from published_forms import make_forms

    hands = {exp.stem: json.loads(exp.read_text(encoding="utf-8")) for exp in (part / "expected").glob("*.json")}
    rows, by_kind, total = [], {}, Tally()
    for name, path, kind, base in make_forms(part, cache):
        if only not in kind:
            continue
        hand = hands[name]
        lays = {t: variant_layout(hand, t, kind, base) for t in ("table2", "table3", "table4")}
        skip = ((hand.get("layout_by_file") or {}).get(base) or {}).get("skip_defects", [])
        hand = {**hand, "layout_by_file": {path.name: {**lays, "skip_defects": skip}}}
        row = measure_file(name, path, hand, by_kind.setdefault(kind, Tally()))
        row.update(kind=kind, base=base)
        rows.append(row)
    for t in by_kind.values():
        total.merge(t)
    return rows, by_kind, total


def _line(row: dict, width: int = 42) -> str:
    tables = "  ".join(f"{k} {v['layout'][:10]:10} {v['right']:3}/{v['cells']:3}"
                       + ("" if "stated" not in v else (" 未读·已说明" if v["stated"] else " 未读·未说明"))
                       for k, v in row.get("tables", {}).items())
    return (f"{row['file']:{width}} {'完整' if row['complete'] else '节选'}  false 错误 {row.get('false_errors', 0)}  "
            f"defects {row.get('defects_found', 0)}/{row.get('defects', 0)}  "
            + (f"IDENTITY {row['identity']}  " if "identity" in row else "")
            + (f"REFUSED: {row['refused'][:50]}" if "refused" in row else tables))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--holdout", action="store_true", help="measure the hold-out (once, at the end)")
    ap.add_argument("--json", help="also write every row and the totals to this JSON file")
    ap.add_argument("--variants", action="store_true",
                    help="measure the forms an unseen site would give of the built part's complete reports")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "govinfo-published-forms"),
                    help="folder for the forms made by --variants (reused while their sources are unchanged)")
    ap.add_argument("--only", default="", help="with --variants: only the kinds of form whose name contains this")
    args = ap.parse_args(argv)
    if args.variants:
        rows, by_kind, total = measure_variants(PARTS["published"], Path(args.cache), args.only)
        for row in rows:
            print(_line(row, 58))
            for f in row.get("false", []):
                print(f"    false: {f}")
        kinds = {k: summary(t) for k, t in sorted(by_kind.items())}
        for k, t in kinds.items():
            print(f"{k:34} files {t['files']:3}  false 错误 {t['false_errors']}  false 警告 {t['false_warnings']}  "
                  f"cells {t['cells_read_right_where_the_text_holds_the_table']}  apart {t['other_layouts_right_wrong_not_read']}"
                  f"  run-together {t['run_together_tables_right_wrong_not_read']}"
                  f"  not read {t['tables_not_read']} (stated {t['of_which_stated_unchecked']})  defects {t['defects_found']}"
                  f"  identity wrong {t['year_or_agency_wrong']}")
        print(json.dumps(summary(total), ensure_ascii=False, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps({"rows": rows, "by_kind": kinds, "total": summary(total)},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    part = PARTS["holdout" if args.holdout else "published"]
    tally = Tally()
    rows = []
    for name, path, hand in reports(part):
        row = measure_file(name, path, hand, tally)
        rows.append(row)
        print(_line({"defects": len(hand.get("defects", [])), **row}))
        for f in row.get("false", []):
            print(f"    false: {f}")
    total = summary(tally)
    print(json.dumps(total, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "total": total}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
