"""An agency's 图解: ingest -o DIR --format …,graphic (PNG and SVG, in a Chinese font)."""

from __future__ import annotations

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.report import plots
from govinfo_xlsx.report.graphic import graphic_page, render_graphic
from govinfo_xlsx.template.writer import write_template

YEAR = 2026
FORM = form_for_year(YEAR)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    d = tmp_path_factory.mktemp("graphic")
    v = consistent_values(FORM, YEAR)
    v["INFO_agency"] = "永康市图解局"
    return fill(write_template(FORM, YEAR, d / "t.xlsx"), v, d / "图解局.xlsx"), v


def test_graphic_png_and_svg_are_written_beside_the_report(workbook, tmp_path, capsys):
    from PIL import Image

    path, _ = workbook
    assert main(["ingest", str(path), "-o", str(tmp_path), "--format", "html,graphic"]) == 0
    stem = f"永康市图解局{YEAR}年政府信息公开工作年度报告"
    png, svg = tmp_path / f"{stem}-图解.png", tmp_path / f"{stem}-图解.svg"
    assert (tmp_path / f"{stem}.html").exists()
    with Image.open(png) as im:
        assert im.format == "PNG" and im.width > 800 and im.height > 800
        # a page of charts, not an empty one: many colours
        assert len(im.convert("RGB").getcolors(maxcolors=1_000_000)) > 50
    assert svg.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in svg.read_bytes()
    assert "图解" in capsys.readouterr().err


def test_graphic_figures_are_the_reports(workbook):
    path, v = workbook
    report = ingest(path)
    page = graphic_page(report)
    keys = {k.label: k.value for k in page.keys}
    new = sum(v[f"T3_new_{c.key}"] for c in FORM.table3.input_columns)
    assert keys["本年新收申请（件）"] == f"{new:,}"
    done = report.data["table3"]["total"]["total"]
    disclosed = report.data["table3"]["granted"]["total"] + report.data["table3"]["partial"]["total"]
    assert keys["公开率"] == f"{disclosed / done:.1%}"
    applicants, outcomes, t4 = page.charts
    assert list(applicants.series[0][1]) == [v[f"T3_new_{c.key}"] for c in FORM.table3.input_columns]
    assert sum(outcomes.series[0][1]) == done
    assert t4.labels == ["行政复议", "行政诉讼"]
    assert [s[1][0] for s in t4.series] == [v[f"T4_review_{c}"] for c in ("upheld", "corrected", "other", "pending")]


def test_graphic_is_deterministic(workbook):
    report = ingest(workbook[0])
    assert render_graphic(report) == render_graphic(report)


def test_without_a_chinese_font_the_graphic_says_so_and_the_rest_is_written(workbook, tmp_path, monkeypatch, capsys):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    monkeypatch.delenv("GOVINFO_CJK_FONT", raising=False)
    plots._find_font.cache_clear()
    try:
        code = main(["ingest", str(workbook[0]), "-o", str(tmp_path), "--format", "md,graphic"])
    finally:
        plots._find_font.cache_clear()
    assert code == 2
    err = capsys.readouterr().err
    assert "图解未生成" in err and "fonts-noto-cjk" in err
    written = sorted(p.suffix for p in tmp_path.iterdir())
    assert written == [".json", ".md"]


def test_unknown_format_names_graphic(workbook, tmp_path, capsys):
    assert main(["ingest", str(workbook[0]), "-o", str(tmp_path), "--format", "png"]) == 2
    assert "graphic" in capsys.readouterr().err


def test_importing_the_package_does_not_import_matplotlib():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import govinfo_xlsx.cli, govinfo_xlsx.collect.run, sys;"
                          "print('matplotlib' in sys.modules)"], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("width_in, shown", [(8.0, {"404", "537", "686", "426", "1045", "962", "1158", "1081"}),
                                             (2.2, {"686", "1045", "962", "1158", "1081"})])
def test_stacked_bars_label_only_the_segments_their_figure_fits(width_in, shown):
    """A narrow chart (the brief's, three to a row) leaves out the figures of the segments too short
    to hold them, instead of printing them over each other."""
    from matplotlib.figure import Figure

    chart = plots.Chart("stacked", "行政复议、行政诉讼结果", ["行政复议", "行政诉讼"],
                        [("结果维持", [404, 1045]), ("结果纠正", [537, 962]), ("其他结果", [686, 1158]),
                         ("尚未审结", [426, 1081])])
    fig = Figure(figsize=(width_in, 2.0))
    ax = fig.add_subplot()
    plots._draw(ax, chart)
    assert {t.get_text() for t in ax.texts if t.get_text()} == shown


@pytest.mark.parametrize("kind", ["column", "bar", "stacked", "pie"])
def test_a_chart_of_zeros_says_so_instead_of_an_axis_below_zero(kind):
    """A small office with no applications (the bundled example) drew empty plots whose axes ran
    from -0.06 to 0.06; a chart whose figures are all 0 now says so in words."""
    from matplotlib.figure import Figure

    series = [("本年", [0, 0, 0])] if kind != "stacked" else [("结果维持", [0, 0, 0]), ("结果纠正", [0, 0, 0])]
    chart = plots.Chart(kind, "本年新收申请", ["自然人", "法人", "其他"], series)
    ax = Figure(figsize=(4, 3)).add_subplot()
    plots._draw(ax, chart)
    assert [t.get_text() for t in ax.texts] == [plots.ALL_ZERO]
    assert not ax.axison
    ax = Figure(figsize=(4, 3)).add_subplot()
    plots._draw(ax, plots.Chart(kind, "本年新收申请", ["自然人", "法人", "其他"],
                                [(name, [0, 3, 0]) for name, _ in series]))
    assert plots.ALL_ZERO not in [t.get_text() for t in ax.texts]
