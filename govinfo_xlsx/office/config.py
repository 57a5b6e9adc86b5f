"""A coordinating office's configuration (``--config OFFICE.toml``).

::

    # 某某市政务公开办 2025 年度报告收集
    roster = "名单.xlsx"              # 报送名单（相对于本文件所在的文件夹）
    sum_outside_roster = false        # 名单外机关的报告是否计入汇总
    year = 2025                       # 本次收集的报告年度
    prior-dir = "2024年度"            # 上年报送的工作簿，做跨年度校验
    export = "开放数据"               # 开放数据包写入的文件夹
    require_explanation = true        # 警告须在“校验结果”表“说明”栏写明理由，否则按错误计

    [rules]                           # 规则编号 = "错误" | "警告" | "提示" | "关闭"
    "xy-jump-new" = "警告"
    "collect-not-in-roster" = "关闭"

    [deadlines]                       # 机关类型 = "月-日"（或“2月28日”）
    "乡镇人民政府、街道办事处" = "2月28日"

    ["重复率"]                        # 内容雷同的阈值（百分数）：全文，或文字部分的编号（checks/repetition.py）
    "全文" = 50
    part5 = 70

    ["扣分"]                          # 评分：规则或规则族 → 分值（checks/scoring.py）
    "满分" = 100
    "数据不一致" = { "规则" = ["t3-balance-*"], "分值" = 1, "上限" = 3 }

Every rule ID and kind of organ is checked against the catalogue; a wrong one is a Chinese
error naming the file and the key. The same configuration applies to ``ingest``, ``collect``
and ``rules`` (which prints the effective catalogue). ``roster``, ``year``, ``prior-dir`` and
``export`` describe a ``collect`` round (``collect --config 本办.toml inbox/``); options given on
the command line override them; relative paths are read from the configuration's folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..checks.catalogue import unexplained
from ..errors import GovinfoError
from ..forms import organs
from ..forms.model import Severity

if TYPE_CHECKING:
    from ..checks.findings import Finding, ValidationReport

OFF = "关闭"
SEVERITY_WORDS = {"错误": Severity.ERROR, "警告": Severity.WARNING, "提示": Severity.INFO, OFF: None,
                  "off": None}
KEYS = ("roster", "year", "prior-dir", "export", "sum_outside_roster", "require_explanation", "rules", "deadlines",
        "重复率", "扣分")
PATH_KEYS = ("roster", "prior-dir", "export")


class ConfigError(GovinfoError):
    """The office configuration file is missing, not TOML, or names something unknown."""


@dataclass(frozen=True)
class OfficeConfig:
    path: str = ""
    severities: Mapping[str, Severity | None] = field(default_factory=dict)  # None: switched off
    deadlines: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (month, day)
    require_explanation: bool = False
    roster: str | None = None  # the round's roster, prior-year folder and export folder (absolute paths)
    year: int | None = None
    prior_dir: str | None = None
    export: str | None = None
    sum_outside_roster: bool = False  # 汇总 includes agencies outside the roster
    repetition: Mapping[str, float] = field(default_factory=dict)  # 全文 or text part key -> share (0..1)
    scoring: Any = None  # the ["扣分"] table (scoring.Pack), or None

    # -- single rules ------------------------------------------------------------------------------
    def describe(self) -> list[str]:
        """Markdown lines saying what this configuration changes (the rules catalogue's preamble)."""
        return describe(self)

    def severity(self, rule: str, declared: Severity) -> Severity | None:
        """The rule's severity in this office, None when switched off."""
        return self.severities.get(rule, declared)

    def deadline(self, kind: str | None) -> organs.Deadline:
        return organs.deadline(kind, self.deadlines)

    # -- findings ----------------------------------------------------------------------------------
    def apply(self, report: ValidationReport,
              explainable: set[str] | frozenset[str] | Mapping[str, str] = frozenset()) -> ValidationReport:
        """The report under this configuration: severities changed or findings dropped, the publication
        deadline of the agency's kind, unexplained warnings counted as errors where required — warnings of
        the rules the workbook has a 说明 cell for (``explainable``: the clerk could have explained them;
        a mapping rule -> the clerk's 说明 also gives findings made again here their explanation)."""
        findings = list(report.findings)
        if self.deadlines:
            findings = self._deadline(report, findings)
            notes = explainable if isinstance(explainable, Mapping) else {}
            findings = [dataclasses.replace(f, explanation=notes[f.rule]) if not f.explanation and notes.get(f.rule)
                        else f for f in findings]  # the office's deadline finding keeps the clerk's 说明
        out: list[Finding] = []
        for f in findings:
            severity = self.severity(f.rule, f.severity)
            if severity is None:
                continue
            f = dataclasses.replace(f, severity=severity) if severity is not f.severity else f
            if (self.require_explanation and f.severity is Severity.WARNING and not f.explanation
                    and f.rule in explainable):
                f = unexplained(f)
            out.append(f)
        report.findings = out
        return report

    def apply_dicts(self, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The same for findings as dicts (collect's own and peer findings)."""
        out = []
        for f in findings:
            severity = self.severity(f["rule"], Severity(f["severity"]))
            if severity is not None:
                out.append({**f, "severity": severity.value})
        return out

    def _deadline(self, report: ValidationReport, findings: list[Finding]) -> list[Finding]:
        """The declared deadline rules (``DateDeadline``: the statutory kinds and the others) judged
        again against the office's dates, each under its own rule ID and severity."""
        from ..forms import get_form
        from ..template.layout import Layout
        from ..checks.rulekinds import DateDeadline
        from .organkind import organ_kind_of

        form = get_form(report.form)
        rules = [r for r in form.rules if isinstance(r, DateDeadline)]
        kept = [f for f in findings if f.rule not in {r.id for r in rules}]
        date = _date(report.data.get("info", {}).get("date"))
        if date is None or report.year is None or not rules:
            return kept
        kind = organ_kind_of(report.agency, report.data.get("info", {}))
        rule = next((r for r in rules if r.covers(kind or "")), None)
        due = self.deadline(kind)
        if rule is None or date <= due.date_for(report.year):
            return kept
        layout = Layout.of(form)
        sheet, cell = layout.address(rule.cell)
        return kept + [rule.office_finding(date, due.text(report.year), kind, sheet=sheet, cell=cell,
                                           row_label=layout.specs[rule.cell].row_label)]


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def known_rules() -> dict[str, Severity]:
    """Every rule ID of the catalogue with its declared severity."""
    from ..checks.catalogue import rule_index
    from ..forms import all_forms

    return {rule: r.severity for rule, r in rule_index(*all_forms()).items()}


def load_config(path: str | Path) -> OfficeConfig:
    """Read and check an office configuration; raises ConfigError with a Chinese message."""
    p = Path(path)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from ..files.plainfile import not_plain

    if not_plain(p):  # a FIFO would block for ever: refused, never opened
        raise ConfigError(f"配置文件“{p}”{not_plain(p)}，已拒绝读取。")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"配置文件“{p}”不存在。") from None
    except UnicodeDecodeError:
        raise ConfigError(f"配置文件“{p}”不是 UTF-8 编码的文本。") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"配置文件“{p}”不是有效的 TOML：{e}。") from None
    except RecursionError:  # arrays or tables nested thousands deep: no configuration looks like that
        raise ConfigError(f"配置文件“{p}”嵌套过深（数组或表一层套一层），不是有效的本办配置。") from None
    for key in doc:
        if key not in KEYS:
            raise ConfigError(f"配置文件“{p}”：不认识的设置“{key}”{_near(key, KEYS)}；可用的设置：{'、'.join(KEYS)}。")
    require, outside = doc.get("require_explanation", False), doc.get("sum_outside_roster", False)
    for key, value in (("require_explanation", require), ("sum_outside_roster", outside)):
        if not isinstance(value, bool):
            raise ConfigError(f"配置文件“{p}”：{key} 应为 true 或 false，现为“{value}”。")
    rules = _table(p, doc, "rules")
    known = known_rules()
    severities: dict[str, Severity | None] = {}
    for rule, word in rules.items():
        if rule not in known:
            raise ConfigError(f"配置文件“{p}”：[rules] 中的规则编号“{rule}”不存在{_near(rule, known)}"
                              "（govinfo-xlsx rules 列出全部规则）。")
        if not isinstance(word, str) or word.strip() not in SEVERITY_WORDS:
            raise ConfigError(f"配置文件“{p}”：[rules] 中“{rule}”的值“{word}”无效，"
                              "应为“错误”“警告”“提示”或“关闭”。")
        severities[rule] = SEVERITY_WORDS[word.strip()]
    deadlines: dict[str, tuple[int, int]] = {}
    for kind, text in _table(p, doc, "deadlines").items():
        if kind not in organs.ORGAN_KINDS:
            raise ConfigError(f"配置文件“{p}”：[deadlines] 中的机关类型“{kind}”不存在{_near(kind, organs.ORGAN_KINDS)}；"
                              f"应为：{'、'.join(organs.ORGAN_KINDS)}。")
        deadlines[kind] = _month_day(p, kind, text)
    from ..checks.repetition import read_thresholds
    from ..checks.scoring import read_pack

    repetition = read_thresholds(str(p), _table(p, doc, "重复率"), _near, ConfigError)
    scoring = read_pack(str(p), _table(p, doc, "扣分"), known, _near, ConfigError)
    paths: dict[str, str | None] = {}
    for key in PATH_KEYS:
        value = doc.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"配置文件“{p}”：{key} 应为文件或文件夹的路径（加引号的文字），现为“{value}”。")
        paths[key] = str(p.parent / value.strip()) if value is not None else None
    year = doc.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 2008 <= year <= 2100):
        raise ConfigError(f"配置文件“{p}”：year 应为报告年度（如 2025），现为“{year}”。")
    return OfficeConfig(str(p), severities, deadlines, require, roster=paths["roster"], year=year,
                        prior_dir=paths["prior-dir"], export=paths["export"], sum_outside_roster=outside,
                        repetition=repetition, scoring=scoring)


def _table(p: Path, doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"配置文件“{p}”：{key} 应为一节（[{key}]），现为“{value}”。")
    return value


def _month_day(p: Path, kind: str, text: Any) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:-|月)\s*(\d{1,2})\s*日?\s*", str(text)) if isinstance(text, str) else None
    if m:
        month, day = int(m[1]), int(m[2])
        try:
            dt.date(2001, month, day)  # any day of a common year (no 2月29日: it would not exist most years)
            return month, day
        except ValueError:
            pass
    raise ConfigError(f"配置文件“{p}”：[deadlines] 中“{kind}”的期限“{text}”无效，应为“月-日”（如 \"3-31\"）"
                      "或“3月31日”，且是每年都有的日期。")


def _near(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"（是否是“{close[0]}”？）" if close else ""


def describe(config: OfficeConfig) -> list[str]:
    """Markdown lines: what the configuration changes (for ``rules --config``)."""
    lines = [f"## 本办配置（{config.path}）", ""]
    for label, value in (("报告年度", config.year), ("报送名单", config.roster), ("上年文件夹", config.prior_dir),
                         ("开放数据文件夹", config.export)):
        if value is not None:
            lines.append(f"- {label}：{value}")
    lines.append("- 警告须填写说明：" + ("是（未在“校验结果”表“说明”栏写明理由的警告按错误计）" if config.require_explanation
                                     else "否"))
    for rule, sev in config.severities.items():
        lines.append(f"- `{rule}`：{sev.value if sev else OFF}")
    for kind in organs.ORGAN_KINDS:
        due = config.deadline(kind)
        lines.append(f"- {kind}公布期限：{due.text()}（{'本办规定' if kind in config.deadlines else due.basis}）")
    for part, share in config.repetition.items():
        lines.append(f"- 重复率阈值（{part}）：{share * 100:g}%")
    if config.scoring is not None:
        lines += config.scoring.describe()
    return lines + [""]
