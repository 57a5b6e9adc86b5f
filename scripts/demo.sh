#!/usr/bin/env bash
# Set up and run the main job on the bundled example: blank templates for both formats, then
# ingest the bundled 永康市行政服务中心 2020 workbook and render its report (DOCX, HTML, Markdown, JSON).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/govinfo-xlsx make-template 2020 -o out --force
.venv/bin/govinfo-xlsx make-template 2026 -o out --force
.venv/bin/govinfo-xlsx ingest govinfo_xlsx/examples/yongkang-2020.xlsx -o out/report
ls -l out out/report
