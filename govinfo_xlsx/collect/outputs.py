"""collect's region outputs beside the summary: the 图表 sheet's figures, ``--brief``, ``--rollup``,
``--history`` (the CLI's thin layer over region.py, charts.py, brief.py and rollup.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from ..errors import GovinfoError

BRIEF_SUFFIXES = (".docx", ".html", ".htm")


def check_outputs(args: argparse.Namespace) -> list[Any]:
    """Check the options before the batch; returns the earlier years read from --history."""
    brief = args.brief
    if brief and Path(brief).suffix.lower() not in BRIEF_SUFFIXES:
        raise GovinfoError(f"简报“{brief}”的扩展名应为 .docx 或 .html。")
    if args.rollup and Path(args.rollup).suffix.lower() != ".xlsx":
        raise GovinfoError(f"汇总报告“{args.rollup}”的扩展名应为 .xlsx。")
    if args.rollup and Path(args.rollup).resolve() == Path(args.output).resolve():
        raise GovinfoError("--rollup 与汇总表 -o 不能是同一个文件。")
    if not args.history:
        return []
    from .history import read_history

    return read_history(args.history)


def write_outputs(col: Any, summary: Path, args: argparse.Namespace, history: list[Any],
                  say: Callable[..., None]) -> list[str]:
    """Write the summary (with its 图表 sheet), then the roll-up and the brief; returns the problems
    of the outputs that could not be made (the others are written)."""
    from .region import Region
    from .summary import write_summary

    region = Region(col, history=history, agency=args.rollup_agency)
    write_summary(col, summary, region)
    problems = []
    brief = args.brief
    if args.rollup:
        from .rollup import write_rollup

        try:
            info = write_rollup(region, Path(args.rollup))
            say(f"已生成汇总报告：{args.rollup}（{info['count']}份报告之和，机关：{info['agency']}）", err=True)
        except GovinfoError as e:
            problems.append(str(e))
    if brief:
        from .brief import write_brief

        missing = write_brief(region, Path(brief), summary)
        say(f"已生成简报：{brief}", err=True)
        if missing:
            problems.append(missing)
    return problems
