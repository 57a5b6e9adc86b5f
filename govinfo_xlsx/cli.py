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
from .forms.organs import ORGAN_KINDS

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
    p.add_argument("--kind", metavar="KIND", type=_kind,
                   help="机关类别（决定公布时限），可选：" + _kind_choices()
                        + "。不指定时按机关名称推断，填报说明中注明，可在“基本信息”表中修改")
    p.add_argument("--password", metavar="PW", help="工作表和工作簿结构的保护密码（默认无密码）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument("--prior", metavar="LAST", help="上年填好的工作簿（.xlsx）或 ingest --json 输出（.json），用于预填")
    p.add_argument("--unlock-prior", action="store_true", help="预填的上年结转数字保持可修改（默认锁定）")
    p.set_defaults(func=cmd_make_template)


def _kind_choices() -> str:
    from .forms.organs import ORGAN_KIND_ALIASES

    shown = []
    for kind in ORGAN_KINDS:
        short = [alias for alias, k in ORGAN_KIND_ALIASES.items() if k == kind]
        shown.append(f"“{kind}”" + (f"（也可写：{' / '.join(short)}）" if short else ""))
    return "；".join(shown)


def _kind(text: str) -> str:
    from .forms.organs import organ_kind_named

    kind = organ_kind_named(text)
    if kind is None:
        raise argparse.ArgumentTypeError(f"未知的机关类别“{text}”，可选：{_kind_choices()}")
    return kind


def cmd_make_template(args: argparse.Namespace) -> int:
    from .forms import form_for_year, parse_report_year
    from .template.writer import default_template_name, write_template

    year = parse_report_year(args.year)
    form = form_for_year(year)
    out = Path(args.output) if args.output else Path(".")
    if out.is_dir() or not out.exists() and (not out.suffix or args.output.endswith(("/", "\\"))):
        # an existing folder, or one to create: "-o 第3轮/" or a name without an extension
        out = out / default_template_name(year, args.agency)
    if out.suffix.lower() != ".xlsx":
        raise GovinfoError(f"输出文件“{out}”的扩展名应为 .xlsx。")
    if out.exists() and not args.force:
        raise GovinfoError(f"文件“{out}”已存在，未覆盖（如确需覆盖，请加 --force）。")
    extra: dict = {}
    if args.prior:
        from .template.prior import load_prior, prefill_from

        pre = prefill_from(form, year, load_prior(args.prior), unlock=args.unlock_prior)
        extra = {"values": pre.values, "prior_values": pre.prior_values, "locked": pre.locked, "notes": pre.notes}
    elif args.unlock_prior:
        raise GovinfoError("--unlock-prior 需要与 --prior 一起使用。")
    from .files.atomic import make_folder

    make_folder(out.parent, out)  # a folder named by -o that does not exist yet is created
    write_template(form, year, out, agency=args.agency, kind=args.kind, password=args.password, **extra)
    _say(f"已生成 {year} 年度填报模板（{form.notice}格式）：{out}")
    return EXIT_OK


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest", help="读取填好的工作簿，重新计算并校验",
        description="读取 make-template 生成并填好的工作簿（也可以是经 Excel、WPS 或 LibreOffice 保存过的），"
                    "从填报单元格重新计算所有总计和校验规则（不信任缓存的公式结果）。"
                    "退出码：0 无错误，1 有错误，2 文件无法读取。",
    )
    _ingest_args(p)


def _ingest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="填好的 xlsx 工作簿（可多个）")
    p.add_argument("--json", metavar="PATH", help="把结果写成 JSON（- 表示标准输出；多个文件时为数组）")
    p.add_argument("--strict-blank", action="store_true", help="空白单元格按错误处理（默认按0计并提示）")
    p.add_argument("--prior", metavar="LAST", help="上年填好的工作簿（.xlsx）或 ingest --json 输出（.json），做跨年度校验")
    from .report.formats import EXTRA_FORMATS, FORMATS, described

    p.add_argument("-o", "--output", metavar="OUTDIR",
                   help=f"生成年度报告（默认 {'、'.join(FORMATS)}，另附 JSON 数据）到该目录；有错误时标为草稿")
    p.add_argument("--format", metavar="FMT", default=None,
                   help=f"报告格式，逗号分隔：{','.join(FORMATS)}，另可加 {described(EXTRA_FORMATS)}（需与 -o 同用）")
    p.add_argument("--annotate", metavar="DIR", nargs="?", const="",
                   help="另存一份标注问题单元格（红色并附批注）的副本，默认与原文件同目录，文件名加“.校验批注”")
    p.add_argument("--config", metavar="OFFICE.toml", help="本办配置：规则级别或关闭、各类机关的公布期限、警告是否须填写说明、"
                                                            "重复率阈值")
    p.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .results.console import summary
    from .checks.findings import json_text
    from .results.pipeline import OutputFailed, annotated_stem, check_workbook
    from .files.safetext import Names

    formats = None
    if args.format is not None or args.output:
        from .report.render import FORMATS, parse_formats

        if not args.output:
            raise GovinfoError("--format 需要与 -o OUTDIR 一起使用。")
        formats = parse_formats(args.format) if args.format is not None else FORMATS
    config = _config(args)
    if args.json and args.json != "-" or args.output:  # known before the files are read, not after
        from .files.atomic import check_writable, make_folder
        from .files.outputs import check_folder_replaceable, check_replaceable

        if args.json and args.json != "-":
            make_folder(Path(args.json).parent, args.json)
            check_writable(args.json)
            check_replaceable(Path(args.json))
        if args.output:
            make_folder(args.output)
            check_writable(args.output, folder=True)
            check_folder_replaceable(Path(args.output))  # last year's report open in Word
    last = None
    if args.prior:
        from .template.prior import load_prior

        last = load_prior(args.prior)
    results: list[dict] = []
    unreadable = 0
    code = EXIT_OK
    names = Names()  # one run never writes two inputs' reports or annotated copies to one file
    for name in args.files:
        path = Path(name)
        try:
            checked = check_workbook(
                path, strict_blank=args.strict_blank, prior=last,
                annotate_dir=None if args.annotate is None else (Path(args.annotate) if args.annotate else path.parent),
                annotate_stem=annotated_stem(path.stem), report_dir=args.output if formats else None,
                formats=formats or (), names=names, config=config)
        except GovinfoError as e:
            _error(str(e))
            unreadable += 1
            code = EXIT_UNUSABLE
            continue
        except OutputFailed as e:
            raise e.__cause__ from None  # as if written here: the command stops (see _run)
        except Exception as e:  # a damaged file must never print a traceback
            _error(unexpected(name, e))
            unreadable += 1
            code = EXIT_UNUSABLE
            continue
        report = checked.report
        _say(summary(report), err=args.json == "-")
        results.append(report.to_dict())
        if isinstance(checked.annotate_error, GovinfoError):
            _error(str(checked.annotate_error))
            code = EXIT_UNUSABLE
        elif checked.annotate_error is not None:
            _error(f"{name}：无法生成标注副本（{type(checked.annotate_error).__name__}），校验结果不受影响。")
            code = max(code, EXIT_FAILED)
        elif checked.annotated:
            _say(f"已另存标注副本：{checked.annotated}", err=True)
        for out in checked.documents:
            _say(f"已生成{'报告草稿（未通过校验）' if not report.ok else '报告'}：{out}", err=True)
        if checked.format_error is not None:
            _error(str(checked.format_error))
            code = EXIT_UNUSABLE
        if not report.ok:
            code = max(code, EXIT_FAILED)
    if args.json:
        if not results:  # nothing readable: no JSON at all rather than an empty one that looks like a result
            if len(args.files) > 1:  # (one file: its error line says it all)
                _error(f"没有可读取的文件，未写出 JSON{'' if args.json == '-' else f'“{args.json}”'}。")
            return EXIT_UNUSABLE
        doc = results[0] if len(args.files) == 1 else results
        text = json_text(doc)
        if args.json == "-":
            from .files.safetext import json_for_terminal

            sys.stdout.write(json_for_terminal(text))
        else:
            from .files.atomic import make_folder, write_bytes_atomic

            make_folder(Path(args.json).parent, args.json)
            write_bytes_atomic(Path(args.json), text.encode("utf-8"))
        if unreadable:
            _error(f"JSON 中不含无法读取的 {unreadable} 个文件。")
    return code


def _add_rules(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="输出校验规则目录（Markdown，由格式声明生成）")
    p.add_argument("--form", choices=["gov-2019", "gov-2021"], help="只输出某一格式的规则")
    p.add_argument("--config", metavar="OFFICE.toml", help="按本办配置输出实际生效的规则目录")
    p.set_defaults(func=cmd_rules)


def cmd_rules(args: argparse.Namespace) -> int:
    from .checks.catalogue import render_catalogue
    from .forms import all_forms, get_form

    forms = (get_form(args.form),) if args.form else all_forms()
    sys.stdout.write(render_catalogue(forms, _config(args)))
    return EXIT_OK


def _config(args: argparse.Namespace):
    """The office configuration named by --config, or None."""
    if not getattr(args, "config", None):
        return None
    from .office.config import load_config

    return load_config(args.config)


def _add_schema(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="输出 ingest JSON 的 JSON Schema（draft 2020-12，由格式声明生成）")
    p.add_argument("--form", choices=["gov-2019", "gov-2021"], help="只输出某一格式的 Schema")
    p.set_defaults(func=cmd_schema)


def cmd_schema(args: argparse.Namespace) -> int:
    from .checks.findings import json_text
    from .results.schema import ingest_schema

    sys.stdout.write(json_text(ingest_schema(args.form)))
    return EXIT_OK


def _date_arg(text: str):
    """A date given on the command line: 2027-02-15, 2027/2/15 or 2027年2月15日."""
    import datetime as dt
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    try:
        if m:
            return dt.date(*map(int, m.groups()))
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"“{text}”不是有效的日期，请写成 2027-02-15 或 2027年2月15日")


def _add_collect(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "collect", help="政务公开办批量收集、校验、汇总报送的工作簿",
        description="逐份校验报送的工作簿（与 ingest 相同的校验），生成汇总表 SUMMARY.xlsx："
                    "报送情况、问题清单（含机关的说明和可填写的审核意见）、汇总（各表之和）、重新报送、规则统计。"
                    "同一机关报送多份时以成文日期（其次文件时间）最新的一份为准，其余标为“已替换”。"
                    "同类机关之间比较（peer-* 提示）。PATH 可以是文件、目录（递归）或 zip 压缩包。"
                    "退出码：0 全部通过且无人未报送，1 有错误、无法读取或未报送，2 参数或名单有误。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="报送的文件、目录或 zip 压缩包")
    p.add_argument("-o", "--output", metavar="SUMMARY.xlsx", required=True, help="汇总表")
    p.add_argument("--roster", metavar="AGENCIES", help="报送名单（CSV 或 xlsx，一行一个机关名称）")
    p.add_argument("--year", metavar="Y", type=int, help="本次收集的报告年度（年度不符的标为错误）")
    p.add_argument("--prior-dir", metavar="DIR", help="上年报送的工作簿或 JSON 所在目录，按机关做跨年度校验")
    p.add_argument("--deadline", metavar="DATE", type=_date_arg,
                   help="本次收集的报送时限（如 2027-02-15），成文日期晚于它的标为逾期；"
                        "不指定时按各机关类别的公布时限（部门1月31日，县级以上地方人民政府3月31日）")
    p.add_argument("--jobs", metavar="N", type=int, default=1, help="并行进程数（默认 1）")
    p.add_argument("--json", metavar="PATH", help="同时把结果写成 JSON")
    p.add_argument("--annotate-dir", metavar="DIR", help="为每份需要机关处理的工作簿（有错误，或警告未在“说明”栏写明理由；用 --review 时，审核意见为“已核实”的问题不再需要处理，“需修改”的需要）另存标注副本到该目录")
    p.add_argument("--strict-blank", action="store_true", help="空白单元格按错误处理")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.add_argument("--config", metavar="OFFICE.toml",
                   help="本办配置：报送名单、年度、上年文件夹、开放数据文件夹、规则级别或关闭、各类机关的公布期限、"
                        "警告是否须填写说明、重复率阈值、扣分表（汇总表另有“评分”表）（命令行选项优先）")
    p.add_argument("--review", metavar="LAST_SUMMARY.xlsx",
                   help="上一轮的汇总表：其“问题清单”中填写的审核意见（已核实／需修改）用于本轮的同一问题")
    p.add_argument("--export", metavar="DIR", help="开放数据包：把 datapackage.json（字段说明）、data.csv、findings.csv、schema.json 写入该目录")
    p.add_argument("--history", metavar="DIR", nargs="+", action="extend",
                   help="往年 --export 导出的开放数据目录（可多个）：图表和简报列出每一年的数字")
    p.add_argument("--brief", metavar="BRIEF.docx",
                   help="给领导的简报（.docx，或按扩展名 .html）：报送情况、表三表四与往年对比、公开率和纠错率、督办清单、图表")
    p.add_argument("--rollup", metavar="OUT.xlsx",
                   help="本级政府的汇总报告：本年度填报模板，填入各机关表二、三、四之和（可再用 ingest OUT.xlsx -o 生成报告）")
    p.add_argument("--rollup-agency", metavar="NAME",
                   help="本级政府的名称（如 永康市人民政府）；不指定时取批次中唯一一份“县级以上地方人民政府”的报告")
    p.set_defaults(func=cmd_collect)


def cmd_collect(args: argparse.Namespace) -> int:
    from .collect.run import STATUS_OK, STATUS_SUPERSEDED, STATUS_WARNINGS, collect
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise GovinfoError(f"汇总表“{out}”的扩展名应为 .xlsx。")
    if args.jobs < 1:
        raise GovinfoError("--jobs 至少为 1。")
    from .files.outputs import Outputs

    config = _config(args)
    if config is not None:  # the office's round; the command line overrides it
        args.roster = args.roster or config.roster
        args.year = args.year if args.year is not None else config.year
        args.prior_dir = args.prior_dir or config.prior_dir
        args.export = args.export or config.export
    decisions = None
    if args.review:
        from .collect.review import load_review

        decisions = load_review(args.review)
    from .collect.outputs import check_outputs, write_outputs

    history = check_outputs(args)
    if args.annotate_dir:  # annotated copies are written while the batch runs, each on its own
        from .files.atomic import check_writable, make_folder

        make_folder(args.annotate_dir)
        check_writable(args.annotate_dir, folder=True)
    files = [out] + [Path(p) for p in (args.json, getattr(args, "brief", None), args.rollup) if p]
    # every output checked (and locked against a second run) before the batch; all replaced together after it
    with Outputs(files, [Path(args.export)] if args.export else []) as outputs:
        with collect(args.paths, roster=args.roster, year=args.year, prior_dir=args.prior_dir, jobs=args.jobs,
                     strict_blank=args.strict_blank, annotate_dir=args.annotate_dir,
                     progress=not args.no_progress and sys.stderr.isatty(), config=config, review=decisions,
                     deadline=args.deadline) as col:
            said: list[tuple[str, bool]] = []  # what was written is said once it is in place
            problems = write_outputs(col, out, args, history, lambda text, err=False: said.append((text, err)))
            if args.json:
                col.write_json(Path(args.json))
            if args.export:
                from .collect.export import export

                export(col, Path(args.export))
            counts = col.counts()
            if col.year_basis == "本批多数文件":  # nobody gave the year: say which one the round took
                _say(f"未指定报告年度：按本批多数文件定为{col.year}年度，其他年度的文件按错误处理。", err=True)
        written = outputs.commit()
    for text, err in said:
        _say(text, err=err)
    for path in written:
        if path not in files:
            _say(f"已导出：{path}", err=True)
    _say(f"共 {sum(counts.values())} 行：" + "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
         + f"。汇总表：{out}")
    for problem in problems:  # the summary is written; an output that could not be made says why
        _error(problem)
    if problems:
        return EXIT_UNUSABLE
    return EXIT_OK if set(counts) <= {STATUS_OK, STATUS_WARNINGS, STATUS_SUPERSEDED} else EXIT_FAILED


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract", help="读取已公布的年度报告（网页、Word、PDF 或复制出的文字），转为数据并检查",
        description="从已公布的年度报告（HTML 网页、DOCX、带文字层的 PDF、纯文字）中找出标题、机关、年度、发布日期、六个部分和表二、三、四，"
                    "按格式声明读取每个单元格并检查：格式与年度是否相符、部分缺失或编号错误、空白或非数字单元格、"
                    "统计表算术关系、正文数字与表格是否一致；读不出的部分、表格或行标为“无法核对”，结论为“无法完整核对”。退出码：0 无错误且全部核对，1 有错误或无法完整核对，2 无法读取或不是年度报告。",
    )
    p.add_argument("report", metavar="REPORT", help="报告文件（.html/.htm、.docx、.pdf、.txt、.md）")
    p.add_argument("-o", "--output", metavar="OUT", help="输出：.json（同 ingest --json）或 .xlsx（填好的填报表，可用于 make-template --prior）")
    _limit_args(p)
    p.set_defaults(func=cmd_extract)


def _limit_args(p: argparse.ArgumentParser) -> None:
    """Per-file limits of extract and audit (files/limits.py): a report over one is not read, and says why."""
    from .files.limits import DEFAULT

    g = p.add_argument_group("每份文件的上限（超过的文件不读取，并写明原因：超时、内存超限、页数过多）")
    g.add_argument("--time-limit", metavar="秒", type=float, default=DEFAULT.seconds,
                   help=f"读取一份文件的 CPU 时间上限（默认 {DEFAULT.seconds:g} 秒）")
    g.add_argument("--memory-limit", metavar="MB", type=int, default=DEFAULT.memory_mb,
                   help=f"读取一份文件可用的内存上限（默认 {DEFAULT.memory_mb} MB）")
    g.add_argument("--page-limit", metavar="N", type=int, default=DEFAULT.pages,
                   help=f"PDF 的页数上限（默认 {DEFAULT.pages} 页）")


def _limits(args: argparse.Namespace):
    from .files.limits import Limits

    if not 0 < args.time_limit <= 86400 or not 64 <= args.memory_limit <= 1 << 30 or args.page_limit < 1:
        raise GovinfoError("--time-limit 应在 0 到 86400 秒之间，--memory-limit 至少为 64（MB），--page-limit 至少为 1。")
    return Limits(seconds=args.time_limit, memory_mb=args.memory_limit, pages=args.page_limit)


def cmd_extract(args: argparse.Namespace) -> int:
    from .results.console import summary
    from .extract.run import cut_in_xlsx, extract, write_extracted
    from .files.limits import run_limited

    limits = _limits(args)
    if args.output and Path(args.output).suffix.lower() in (".json", ".xlsx"):  # known before the report is read
        from .files.atomic import check_writable, make_folder
        from .files.outputs import check_replaceable

        make_folder(Path(args.output).parent, args.output)
        check_writable(args.output)
        check_replaceable(Path(args.output))
    report = run_limited(args.report, extract, args.report, limits=limits)
    _say(summary(report))
    if args.output:
        write_extracted(report, Path(args.output))
        _say(f"已写出：{args.output}", err=True)
        cut = cut_in_xlsx(report) if Path(args.output).suffix.lower() == ".xlsx" else []
        if cut:
            _say(f"注意：{'、'.join(cut)}超过 Excel 单元格上限（32,767 字），在 xlsx 中已截断并在单元格中注明；"
                 "全文请用 -o 输出 JSON。", err=True)
    return EXIT_OK if report.ok else EXIT_FAILED


def _add_audit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit", help="批量审核已公布的年度报告（网页、Word、PDF、文字），生成审核表",
        description="逐份读取并检查已公布的年度报告（与 extract 相同的检查），生成审核表 AUDIT.xlsx："
                    "报告情况（机关、机关类型、年度、格式、发布日期、状态、单元格读取情况）、问题清单、规则统计、正文核对，"
                    "并列出名单中没有找到报告的机关。PATH 可以是文件、目录（递归）或 zip 压缩包；网页附带的图片、脚本等文件不计。"
                    "退出码：0 全部通过或仅警告，1 有错误、无法完整核对、无法读取或名单中的机关没有报告，2 参数或名单有误。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件、目录或 zip 压缩包")
    p.add_argument("-o", "--output", metavar="AUDIT.xlsx", required=True, help="审核表")
    p.add_argument("--roster", metavar="AGENCIES", help="应发布报告的机关名单（CSV 或 xlsx，一行一个机关名称）")
    p.add_argument("--year", metavar="Y", type=int, help="审核的报告年度（年度不符的标为错误）")
    p.add_argument("--jobs", metavar="N", type=int, default=1, help="并行进程数（默认 1）")
    p.add_argument("--json", metavar="PATH", help="同时把结果写成 JSON")
    p.add_argument("--no-progress", action="store_true", help="不显示进度条")
    p.add_argument("--previous", metavar="LAST_AUDIT", help="上次审核生成的 AUDIT.xlsx 或 JSON：内容与上次不同的报告标为“发布后有变动”")
    p.add_argument("--config", metavar="OFFICE.toml", help="本办配置（重复率阈值、扣分表）")
    p.add_argument("--prior-dir", metavar="DIR", help="上一年度已公布报告所在的目录：计算各机关与上年报告的重复率")
    _limit_args(p)
    p.set_defaults(func=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from .files.atomic import write_bytes_atomic
    from .audit.run import STATUS_OK, STATUS_WARNINGS, audit
    from .audit.table import write_audit
    from .checks.findings import json_text

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise GovinfoError(f"审核表“{out}”的扩展名应为 .xlsx。")
    if args.jobs < 1:
        raise GovinfoError("--jobs 至少为 1。")
    config = None
    if args.config:
        from .office.config import load_config

        config = load_config(args.config)
    from .files.outputs import Outputs

    # every output checked (and locked against a second run) before the batch; all replaced together after it
    with Outputs([out] + ([Path(args.json)] if args.json else [])) as outputs:
        result = audit(args.paths, roster=args.roster, year=args.year, jobs=args.jobs,
                       progress=not args.no_progress and sys.stderr.isatty(), previous=args.previous,
                       config=config, prior_dir=args.prior_dir, limits=_limits(args))
        write_audit(result, out)
        if args.json:
            text = json_text(result.to_dict())
            write_bytes_atomic(Path(args.json), text.encode("utf-8"))
        outputs.commit()
    counts = result.counts()
    skipped = f"（另有 {result.skipped} 个非报告文件未计）" if result.skipped else ""
    print(f"共 {sum(counts.values())} 行：" + "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
          + f"{skipped}。审核表：{out}")
    return EXIT_OK if set(counts) <= {STATUS_OK, STATUS_WARNINGS} else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="govinfo-xlsx",
        description="政府信息公开工作年度报告：填报模板、校验与报告生成。",
    )
    parser.add_argument("--version", action="version", version=f"govinfo-xlsx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    _add_make_template(sub)
    _add_ingest(sub)
    _add_collect(sub)
    _add_extract(sub)
    _add_audit(sub)
    _add_rules(sub)
    _add_schema(sub)
    return parser


def _say(text: str, err: bool = False) -> None:
    """Print text that may hold data (cell text, file names) with nothing a terminal would obey."""
    from .files.safetext import terminal

    print(terminal(text), file=sys.stderr if err else sys.stdout)


def _error(message: str) -> None:
    _say(f"错误：{message}", err=True)


def unexpected(name: str, e: BaseException) -> str:
    """The message for a failure nobody foresaw while reading one file (the batch goes on)."""
    return f"{name}：读取时出错（{type(e).__name__}），文件可能已损坏，请重新保存后报送。"


def utf8_streams() -> None:
    """Standard output and error in UTF-8 whatever the console's code page (cp936 on a Chinese Windows,
    where output redirected to a file would otherwise be in GBK, or fail on a character GBK lacks)."""
    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "") == "utf8":
            continue
        try:
            stream.reconfigure(encoding="utf-8", errors=stream.errors)  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a text stream of ours (a test's capture, say)
            pass


def _run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    from .files.interrupt import EXIT_SIGINT, EXIT_SIGTERM, Interrupted, handled

    utf8_streams()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        with handled():
            return func(args)
    except GovinfoError as e:
        _error(str(e))
        return EXIT_UNUSABLE
    except BrokenPipeError:  # the reader of our output went away (``| head``): nothing left to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as e:
        from .files.atomic import why

        _error(f"无法读取或写入“{e.filename or '（未知文件）'}”：{why(e)}。")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        _say("已中断（Ctrl-C）：未完成的输出均未写出，原有的输出文件保持不变。", err=True)
        return EXIT_SIGINT
    except Interrupted:
        _say("已终止（收到 SIGTERM）：未完成的输出均未写出，原有的输出文件保持不变。", err=True)
        return EXIT_SIGTERM
    except MemoryError:
        _error("内存不足，无法完成：请减少 --jobs 或分批处理。")
        return EXIT_UNUSABLE
    except Exception as e:  # a defect of ours: still one line, not a traceback (GOVINFO_DEBUG=1 shows it)
        import os

        if os.environ.get("GOVINFO_DEBUG"):
            raise
        _error(f"内部错误（{type(e).__name__}：{e}），未写出结果：请把所用命令和文件发给维护人员"
               "（设置环境变量 GOVINFO_DEBUG=1 可显示详细信息）。")
        return EXIT_UNUSABLE


def main(argv: Sequence[str] | None = None) -> int:
    return _run(build_parser(), argv)


def make_template_main(argv: Sequence[str] | None = None) -> int:
    """The short form ``make-template YEAR ...``."""
    parser = _Parser(prog="make-template", description="生成某一报告年度的填报模板（同 govinfo-xlsx make-template）。")
    _make_template_args(parser)
    return _run(parser, argv)


def ingest_main(argv: Sequence[str] | None = None) -> int:
    """The short form ``ingest FILE ...``."""
    parser = _Parser(prog="ingest", description="读取填好的工作簿并校验（同 govinfo-xlsx ingest）。")
    _ingest_args(parser)
    return _run(parser, argv)


def entry() -> None:
    sys.exit(main())


def make_template_entry() -> None:
    sys.exit(make_template_main())


def ingest_entry() -> None:
    sys.exit(ingest_main())
