"""Publication evidence for audit: what was published, when, and whether it changed.

For each report read, the evidence is:

- its **content hash**: SHA-256 of the report's content as read — the tables' figures and the
  narrative text, white space dropped — so a page saved again with other navigation, or the same
  report as HTML and as PDF, hashes alike, and a changed figure or sentence does not;
- the **publication date** and where it was read: the page's meta tag, the CMS's information table
  or a 发布日期 line (``extract``); when the page gives none, the report's 成文日期 is recorded as
  such;
- the **deadline** of the organ's kind (``forms.organs``) and the verdict: 按时 / 逾期 / 无法核对.
  A date read from the page decides. With only a 成文日期, a date after the deadline is late (a
  report is published after it is signed) and anything else is 无法核对; with no date at all it is
  无法核对 (``pub-date-unknown``), never on time.

``audit --previous LAST_AUDIT.xlsx|.json`` compares each report with the evidence of the last audit:
the same agency and year with another content hash is 发布后有变动 (``pub-changed``); in one batch, one
agency's reports of one year with different content hashes are two versions (``pub-versions``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..checks.catalogue import entry
from ..errors import GovinfoError
from ..files.sheetrows import list_sheet

SHEET = "发布证据"
ON_TIME, LATE, UNKNOWN = "按时", "逾期", "无法核对"
COLUMNS = (("agency", "机关", 28), ("year", "年度", 7), ("file", "文件", 40), ("content_hash", "内容哈希", 20),
           ("published", "发布日期", 12), ("date_from", "日期来源", 16), ("deadline", "公布时限", 12),
           ("timely", "是否按时", 9), ("version", "版本", 28), ("repetition", "重复率", 36))
HEADERS = {label: key for key, label, _ in COLUMNS}
_SPACE = re.compile(r"\s+")


def content_hash(data: dict[str, Any] | None) -> str:
    """SHA-256 over the tables' figures and the text, white space dropped ('' without data)."""
    if not data:
        return ""
    content = {k: data.get(k) for k in ("table2", "table3", "table4")}
    content["text"] = {k: _SPACE.sub("", str(v or "")) for k, v in (data.get("text") or {}).items()}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def of(result: dict[str, Any], report: Any) -> dict[str, Any]:
    """The evidence of one report (in the worker: ``report`` is extract's PublishedReport)."""
    from ..forms.organs import ORGAN_KINDS, deadline

    pub = report.published
    info = report.data.get("info") or {}
    date, source = pub.get("date"), pub.get("date_from") or ("页面" if pub.get("date") else None)
    signed = info.get("date")
    dues: list[dt.date] = []
    if isinstance(report.year, int):  # the kind unknown: every kind's deadline (as audit.run.timeliness)
        kinds = [pub["kind"]] if pub.get("kind") in ORGAN_KINDS else list(ORGAN_KINDS)
        dues = sorted({deadline(k).date_for(report.year) for k in kinds})
    if date and dues:
        day = dt.date.fromisoformat(date[:10])
        timely = ON_TIME if day <= dues[0] else LATE if day > dues[-1] else UNKNOWN
    elif signed and dues:
        date, source = signed, "成文日期（页面未注明发布日期）"
        timely = LATE if dt.date.fromisoformat(str(signed)[:10]) > dues[-1] else UNKNOWN
    else:
        timely = UNKNOWN
    due = "—".join(d.isoformat() for d in (dues[0], dues[-1])) if len(dues) > 1 else (dues[0].isoformat() if dues else "")
    return {"content_hash": content_hash(report.data), "published": date, "date_from": source or "",
            "deadline": due, "timely": timely}


def findings_of(evidence: dict[str, Any], page_date: str | None, year: int | None) -> list[dict[str, Any]]:
    """The findings the evidence makes by itself: no date to check timeliness against, or only a
    成文日期 that is already later than the deadline."""
    if evidence["timely"] == UNKNOWN and not page_date:
        return [entry("pub-date-unknown").finding(variant="dated" if evidence["published"] else "",
                                                  expected="发布日期", actual=UNKNOWN)]
    if evidence["timely"] == LATE and not page_date:
        return [entry("pub-published-late").finding(
            variant="undated", expected=evidence["deadline"], actual=evidence["published"],
            day=dt.date.fromisoformat(str(evidence["published"])[:10]),
            due=dt.date.fromisoformat(evidence["deadline"][-10:]))]
    return []


# -- the last audit -----------------------------------------------------------------------------------

def load_previous(path: str | Path) -> list[dict[str, Any]]:
    """The evidence rows of an earlier audit: its JSON (``evidence``) or its AUDIT.xlsx (sheet 发布证据).
    A Chinese GovinfoError naming the file when it is neither."""
    p = Path(path)
    if not p.is_file():
        raise GovinfoError(f"上次审核结果“{p}”不存在。")
    suffix = p.suffix.lower()
    if suffix == ".json":
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise GovinfoError(f"上次审核结果“{p}”不是有效的 JSON（{e}）。") from None
        rows = doc.get("evidence") if isinstance(doc, dict) else None
        if not isinstance(rows, list):
            raise GovinfoError(f"上次审核结果“{p}”中没有发布证据（evidence）：请用本版本 audit --json 的输出。")
        return [r for r in rows if isinstance(r, dict)]
    if suffix == ".xlsx":
        return _from_workbook(p)
    raise GovinfoError(f"上次审核结果“{p}”应为 audit 生成的 .xlsx 或 .json 文件。")


def _from_workbook(p: Path) -> list[dict[str, Any]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as e:  # calamine's errors are not one class
        raise GovinfoError(f"上次审核结果“{p}”无法读取（{type(e).__name__}）：请提供 audit 生成的 AUDIT.xlsx。") from None
    if SHEET not in wb.sheet_names:
        raise GovinfoError(f"上次审核结果“{p}”中没有“{SHEET}”工作表：请用本版本 audit 生成的审核表。")
    rows = wb.get_sheet_by_name(SHEET).to_python()
    if not rows:
        return []
    keys = [HEADERS.get(str(h).strip()) for h in rows[0]]
    if "content_hash" not in keys or "agency" not in keys:
        raise GovinfoError(f"上次审核结果“{p}”的“{SHEET}”工作表第1行缺少“机关”或“内容哈希”列。")
    out = []
    for row in rows[1:]:
        item = {k: v for k, v in zip(keys, row) if k}
        year = item.get("year")
        item["year"] = int(year) if isinstance(year, (int, float)) and year == int(year) else None
        out.append(item)
    return out


# -- the batch ----------------------------------------------------------------------------------------

def flag(results: list[dict[str, Any]], previous: Iterable[dict[str, Any]] | None) -> None:
    """Add pub-changed (against the last audit) and pub-versions (within the batch) to the results'
    findings, and each report's 版本 note to its evidence."""
    before: dict[tuple[str, Any], set[str]] = {}
    for row in previous or ():
        if row.get("agency") and row.get("content_hash"):
            before.setdefault((str(row["agency"]), row.get("year")), set()).add(str(row["content_hash"]))
    now: dict[tuple[str, Any], dict[str, list[str]]] = {}
    for r in _readable(results):
        now.setdefault((r["agency"], r["year"]), {}).setdefault(r["evidence"]["content_hash"], []).append(r["source"])
    for r in _readable(results):
        key, digest = (r["agency"], r["year"]), r["evidence"]["content_hash"]
        notes, own = [], []
        if previous is not None:
            if key not in before:
                notes.append("上次审核时没有")
            elif digest in before[key]:
                notes.append("与上次审核时相同")
            else:
                notes.append("发布后有变动")
                own.append(entry("pub-changed").finding(
                    expected=sorted(before[key])[0], actual=digest, agency=r["agency"], year=r["year"],
                    hashes=[h[:12] + "…" for h in sorted(before[key])], hash=digest[:12] + "…").to_dict())
        versions = now[key]
        if len(versions) > 1:
            others = [s for h, sources in versions.items() if h != digest for s in sources]
            notes.append(f"同年度共{len(versions)}个版本")
            own.append(entry("pub-versions").finding(expected=1, actual=len(versions), agency=r["agency"],
                                                     year=r["year"], others=others).to_dict())
        r["evidence"]["version"] = "；".join(notes)
        r["findings"] = own + r["findings"]


def _readable(results: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in results:
        if not r["error"] and r.get("evidence") and r["evidence"]["content_hash"] and r["agency"]:
            yield r


def rows(results: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The 发布证据 rows (and the JSON's ``evidence``): one per report read."""
    for r in results:
        if r["error"] or not r.get("evidence"):
            continue
        yield {"agency": r["agency"], "year": r["year"], "file": r["source"], **r["evidence"]}


def write_sheet(wb: Any, results: list[dict[str, Any]], head: Any, wrap: Any, write_value: Any) -> None:
    """The 发布证据 sheet of AUDIT.xlsx (``write_value``: collect.summary's typed cell writer)."""
    ws = list_sheet(wb, SHEET, [(label, width) for _, label, width in COLUMNS], head)
    n = 0
    for n, row in enumerate(rows(results), start=1):
        for c, (key, _, _) in enumerate(COLUMNS):
            write_value(ws, n, c, row.get(key), wrap)
    ws.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)


def repetition(results: list[dict[str, Any]], config: Any = None) -> None:
    """重复率 among the batch's published reports (repetition.Batch): each report's figure in its
    evidence, ``peer-repetition`` where it reaches the threshold. One report per agency and year
    (the first read) takes part, so that one agency's versions are not each other's peers."""
    from ..forms import get_form
    from ..checks.repetition import WHOLE, Batch, _where, describe, judged, percent

    limits = config.repetition if config is not None else {}
    batch, members, seen = Batch(), [], set()
    for r in _readable(results):
        text = r.get("text") or {}
        if (r["agency"], r["year"]) in seen or not any(str(v or "").strip() for v in text.values()):
            continue
        seen.add((r["agency"], r["year"]))
        batch.add(r["agency"], text)
        members.append(r)
    if len(members) < 2:
        return
    for r, figures in zip(members, batch.compare()):
        peer = figures.peer_share
        r["evidence"]["repetition"] = (f"与{figures.peer}{percent(peer.whole)}（同批最相似）" if peer is not None
                                       else f"与同批其他机关{percent(figures.peers.whole)}")
        over = judged(peer, limits) if peer is not None else []
        if not over:
            continue
        form = get_form(r["form"])
        titles = {f.key: form.text_title(f.key) for f in form.text_fields}
        where = _where(r["form"], next((k for k, _, _ in over if k != WHOLE), None))
        r["findings"].append(entry("peer-repetition").finding(
            expected=f"< {percent(limits.get(WHOLE, 0.5))}", actual=percent(peer.whole), sheet=where["sheet"],
            row_label=where["row_label"], peer=figures.peer, over=describe(over, titles),
            peers=percent(figures.peers.whole)).to_dict())


def against_last_year(results: list[dict[str, Any]], last: list[dict[str, Any]], config: Any = None) -> None:
    """重复率 of each report against the same agency's report of the year before (``audit --prior-dir``):
    the figure before the batch's in the evidence, ``xy-repetition`` where it reaches the threshold."""
    from ..forms import get_form
    from ..checks.repetition import WHOLE, _where, compare_texts, describe, judged, mask, percent

    limits = config.repetition if config is not None else {}
    texts: dict[str, tuple[Any, dict[str, Any]]] = {}
    for r in _readable(last):
        if r.get("text") and r["agency"] not in texts:
            texts[r["agency"]] = (r["year"], r["text"])
    for r in _readable(results):
        year, text = texts.get(r["agency"], (None, None))
        if not text or not r.get("text") or (year and r["year"] and year != r["year"] - 1):
            continue
        mine = {k: mask(v, [r["agency"]]) for k, v in r["text"].items()}
        share = compare_texts(mine, {k: mask(v, [r["agency"]]) for k, v in text.items()})
        note = f"与上年{percent(share.whole)}"
        r["evidence"]["repetition"] = "；".join(x for x in (note, r["evidence"].get("repetition", "")) if x)
        over = judged(share, limits)
        if over:
            form = get_form(r["form"])
            titles = {f.key: form.text_title(f.key) for f in form.text_fields}
            where = _where(r["form"], next((k for k, _, _ in over if k != WHOLE), None))
            r["findings"].append(entry("xy-repetition").finding(
                variant="published" if year else "published-unknown-year",
                expected=f"< {percent(limits.get(WHOLE, 0.5))}", actual=percent(share.whole), sheet=where["sheet"],
                row_label=where["row_label"], year=year, over=describe(over, titles)).to_dict())
