"""Command-line interface: a thin layer over the library.

``main(argv)`` returns the exit code; every expected failure is a
``GovinfoError`` turned into one Chinese line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .errors import GovinfoError

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}：参数有误：{message}\n")


def _add_make_template(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "make-template", help="生成某一报告年度的填报模板（锁定的 xlsx 工作簿）",
        description="按报告年度适用的统一格式生成填报模板：2019—2020年度用国办公开办函〔2019〕60号格式，"
                    "2021年度起用国办公开办函〔2021〕30号格式。",
    )
    _make_template_args(p)


def _make_template_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", metavar="YEAR", help="报告年度，如 2025")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="输出文件或目录（默认：当前目录下的“<机关名称><年度>年政府信息公开工作年度报告填报模板.xlsx”）")
    p.add_argument("--agency", metavar="NAME", help="预填的机关名称")
    p.add_argument("--password", metavar="PW", help="工作表和工作簿结构的保护密码（默认无密码）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(func=cmd_make_template)


def cmd_make_template(args: argparse.Namespace) -> int:
    from .forms import form_for_year, parse_report_year
    from .writer import default_template_name, write_template

    year = parse_report_year(args.year)
    form = form_for_year(year)
    out = Path(args.output) if args.output else Path(".")
    if out.is_dir():
        out = out / default_template_name(year, args.agency)
    if out.suffix.lower() != ".xlsx":
        raise GovinfoError(f"输出文件“{out}”的扩展名应为 .xlsx。")
    if not out.parent.is_dir():
        raise GovinfoError(f"输出目录“{out.parent}”不存在。")
    if out.exists() and not args.force:
        raise GovinfoError(f"文件“{out}”已存在，未覆盖（如确需覆盖，请加 --force）。")
    write_template(form, year, out, agency=args.agency, password=args.password)
    print(f"已生成 {year} 年度填报模板（{form.notice}格式）：{out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="govinfo-xlsx",
        description="政府信息公开工作年度报告：填报模板、校验与报告生成。",
    )
    parser.add_argument("--version", action="version", version=f"govinfo-xlsx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    _add_make_template(sub)
    return parser


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return func(args)
    except GovinfoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as e:
        print(f"错误：无法写入或读取文件“{e.filename}”：{e.strerror}", file=sys.stderr)
        return EXIT_UNUSABLE


def main(argv: Sequence[str] | None = None) -> int:
    return _run(build_parser(), argv)


def make_template_main(argv: Sequence[str] | None = None) -> int:
    """The short form ``make-template YEAR ...``."""
    parser = _Parser(prog="make-template", description="生成某一报告年度的填报模板（同 govinfo-xlsx make-template）。")
    _make_template_args(parser)
    return _run(parser, argv)


def entry() -> None:
    sys.exit(main())


def make_template_entry() -> None:
    sys.exit(make_template_main())
