#!/usr/bin/env bash
# Set up and run the main job on the bundled example: write the templates to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/govinfo-xlsx make-template 2020 -o out --agency 永康市行政服务中心 --force
.venv/bin/govinfo-xlsx make-template 2026 -o out --force
ls -l out
