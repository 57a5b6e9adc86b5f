"""Charts drawn with matplotlib (imported lazily), in Chinese, for the 图解 and the leader's brief.

A chart is plain data (``Chart``); ``render`` lays several out on one page with an optional title
and a row of key figures, and returns PNG or SVG bytes. The text needs a font with Chinese glyphs
found on the machine (``cjk_font``): none found is ``NoCJKFont``, a clear message, never boxes
in place of characters. The output is deterministic (no dates or random ids in the files).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from ..errors import GovinfoError

# Families with Chinese glyphs, most wanted first (the Noto/Source Han fonts Debian's fonts-noto-cjk
# installs, WenQuanYi, and the fonts of Windows and macOS).
PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "Noto Serif CJK SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "DengXian", "PingFang SC",
             "Hiragino Sans GB", "Heiti SC", "STHeiti", "AR PL UMing CN", "AR PL UKai CN", "Noto Sans CJK TC",
             "Noto Sans CJK JP")
COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E")
FORMATS = ("png", "svg")
DPI = 150


class NoCJKFont(GovinfoError):
    """No font with Chinese glyphs was found."""


NO_FONT = ("未找到可以显示中文的字体（如 Noto Sans CJK、思源黑体、文泉驿、微软雅黑、黑体），无法生成图表：请安装中文字体"
           "（Debian/Ubuntu：apt-get install fonts-noto-cjk），或用环境变量 GOVINFO_CJK_FONT 指定字体文件后重试。")


@dataclass(frozen=True)
class Chart:
    """One chart: ``kind`` bar (horizontal), column, stacked (horizontal, stacked), pie or line."""

    kind: str
    title: str
    labels: Sequence[str]
    series: Sequence[tuple[str, Sequence[float]]]
    unit: str = "件"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Page:
    charts: list[Chart]
    title: str = ""
    subtitle: str = ""
    keys: list[KeyFigure] = field(default_factory=list)
    columns: int = 2
    width_in: float = 8.0
    chart_height_in: float = 3.0


def cjk_font(preferred: Sequence[str] = PREFERRED) -> str:
    """The family name of a font with Chinese glyphs that matplotlib can use; NoCJKFont if none."""
    return _find_font(tuple(preferred))


@lru_cache(maxsize=4)
def _find_font(preferred: tuple[str, ...]) -> str:
    from matplotlib import font_manager

    explicit = os.environ.get("GOVINFO_CJK_FONT")
    if explicit:
        if not os.path.isfile(explicit):
            raise NoCJKFont(f"环境变量 GOVINFO_CJK_FONT 指定的字体文件“{explicit}”不存在。")
        font_manager.fontManager.addfont(explicit)
        return font_manager.FontProperties(fname=explicit).get_name()
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in preferred:
        if name in names:
            return name
    for path in _fontconfig_chinese():  # a Chinese font matplotlib did not list (fontconfig knows it)
        try:
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        if name:
            return name
    raise NoCJKFont(NO_FONT)


def _fontconfig_chinese() -> list[str]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def render(page: Page, fmt: str = "png") -> bytes:
    """The page as PNG or SVG bytes."""
    family = cjk_font()
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, and a second less to import

    charts = page.charts
    cols = max(1, min(page.columns, len(charts)))
    rows = (len(charts) + cols - 1) // cols
    key_h = 1.1 if page.keys else 0.0
    title_h = (0.55 if page.title else 0.0) + (0.3 if page.subtitle else 0.0)
    chart_h = page.chart_height_in
    height = title_h + key_h + rows * chart_h + 0.1
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [family], "axes.unicode_minus": False,
                         "svg.hashsalt": "govinfo-xlsx", "svg.fonttype": "path", "font.size": 9}):
        fig = Figure(figsize=(page.width_in, height), dpi=DPI)
        top = 1.0
        if page.title:
            fig.text(0.5, 1 - 0.35 / height, page.title, ha="center", va="center", fontsize=15, weight="bold")
        if page.subtitle:
            fig.text(0.5, 1 - (0.55 + 0.15) / height, page.subtitle, ha="center", va="center", fontsize=9,
                     color="#595959")
        top -= title_h / height
        if page.keys:
            _keys(fig, page.keys, top, key_h / height)
            top -= key_h / height
        grid = fig.add_gridspec(rows, cols, left=0.12, right=0.95, bottom=0.35 / height, top=top - 0.3 / height,
                                hspace=0.7, wspace=0.45)
        for i, chart in enumerate(charts):
            last_alone = i == len(charts) - 1 and i % cols == 0 and cols == 2
            ax = fig.add_subplot(grid[i // cols, :] if last_alone else grid[i // cols, i % cols])
            _draw(ax, chart)
        out = io.BytesIO()
        meta: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
        if fmt == "svg":
            meta["Creator"] = None
        # a tight box: long labels and legends below a chart are never cut off
        fig.savefig(out, format=fmt, metadata=meta, bbox_inches="tight", pad_inches=0.15, facecolor="white")
    return out.getvalue()


def _keys(fig: Any, keys: Sequence[KeyFigure], top: float, height: float) -> None:
    n = len(keys)
    for i, k in enumerate(keys):
        x0 = 0.03 + i * 0.94 / n
        w = 0.94 / n - 0.01
        ax = fig.add_axes((x0, top - height + 0.1 * height, w, 0.85 * height))
        ax.set_axis_off()
        ax.add_patch(_box())
        ax.text(0.5, 0.66 if k.note else 0.62, k.value, ha="center", va="center", fontsize=17, weight="bold",
                color="#1F3864")
        ax.text(0.5, 0.34 if k.note else 0.24, k.label, ha="center", va="center", fontsize=8.5, color="#404040")
        if k.note:
            ax.text(0.5, 0.14, k.note, ha="center", va="center", fontsize=6.5, color="#7F7F7F")


def _box() -> Any:
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((0.02, 0.02), 0.96, 0.96, boxstyle="round,pad=0,rounding_size=0.06",
                          facecolor="#EEF3FA", edgecolor="#B4C7E7", linewidth=0.8)


ALL_ZERO = "（本年均为0）"


def _fmt(v: float) -> str:
    return f"{int(v)}" if float(v).is_integer() else f"{v:.2f}"


def _draw(ax: Any, chart: Chart) -> None:
    ax.set_title(chart.title, fontsize=10.5, weight="bold")
    labels = list(chart.labels)
    if chart.kind != "line" and not any(v for _, values in chart.series for v in values):
        # nothing but zeros: say so instead of an empty plot with an axis running below 0
        ax.text(0.5, 0.5, ALL_ZERO, ha="center", va="center", fontsize=10, color="#555555",
                transform=ax.transAxes)
        ax.set_axis_off()
        return
    if chart.kind == "pie":
        values = list(chart.series[0][1])
        total = sum(values)
        ax.pie(values, colors=COLOURS[:len(values)], startangle=90, counterclock=False,
               wedgeprops={"linewidth": 0.8, "edgecolor": "white"},
               autopct=lambda p: f"{p * total / 100:.0f}" if p >= 4 else "", pctdistance=0.75,
               textprops={"fontsize": 8})
        ax.legend(labels, loc="center left", bbox_to_anchor=(0.98, 0.5), fontsize=7.5, frameon=False)
        ax.set_aspect("equal")
        return
    ax.spines[["top", "right"]].set_visible(False)
    n = len(chart.series)
    positions = range(len(labels))
    if chart.kind in ("bar", "stacked"):
        left = [0.0] * len(labels)
        for s, (name, values) in enumerate(chart.series):
            if chart.kind == "stacked":
                bars = ax.barh(positions, values, left=left, color=COLOURS[s % len(COLOURS)], label=name)
                left = [a + b for a, b in zip(left, values)]
                widest = max(sum(col) for col in zip(*(v for _, v in chart.series))) or 1
                # a segment's figure only where it fits: its share of the axis' printed width against
                # the figure's digits at 7.5 pt (about 0.06 in each, and one of room)
                axis_in = ax.get_position().width * ax.figure.get_figwidth()
                ax.bar_label(bars, labels=[_fmt(v) if v >= 0.06 * widest
                                           and v / widest * axis_in >= 0.06 * (len(_fmt(v)) + 1) else ""
                                           for v in values], label_type="center", fontsize=7.5)
            else:
                colours = [COLOURS[i % len(COLOURS)] for i in positions] if n == 1 else COLOURS[s % len(COLOURS)]
                bars = ax.barh(positions, values, color=colours, label=name)
                ax.bar_label(bars, labels=[_fmt(v) for v in values], padding=2, fontsize=7.5)
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.margins(x=0.15)
        if n > 1:
            ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(n, 2))
        return
    if chart.kind == "line":
        for s, (name, values) in enumerate(chart.series):
            ax.plot(list(positions), values, marker="o", color=COLOURS[s % len(COLOURS)], label=name)
            for x, v in zip(positions, values):
                ax.annotate(_fmt(v), (x, v), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
        ax.set_xticks(list(positions), labels)
        ax.margins(x=0.1, y=0.15)
        ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(n, 3))
        return
    width = 0.8 / n
    for s, (name, values) in enumerate(chart.series):
        xs = [p - 0.4 + width * (s + 0.5) for p in positions]
        colours = [COLOURS[i % len(COLOURS)] for i in positions] if n == 1 else COLOURS[s % len(COLOURS)]
        bars = ax.bar(xs, values, width=width, color=colours, label=name)
        ax.bar_label(bars, labels=[_fmt(v) for v in values], padding=1, fontsize=7)
    ax.set_xticks(list(positions), labels, fontsize=8, rotation=0 if len(labels) <= 4 else 30,
                  ha="center" if len(labels) <= 4 else "right")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.margins(y=0.15)
    if n > 1:
        ax.legend(fontsize=7.5, frameon=False, ncol=min(n, 3))
