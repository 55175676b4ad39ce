#!/usr/bin/env bash
# Set up, analyse the demo corpus, export it and print a report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
db=out/demo.duckdb
mkdir -p out
.venv/bin/newsloom analyze examples/demo/articles --db "$db"
.venv/bin/newsloom export --db "$db" --out out/demo --format jsonl
.venv/bin/newsloom stats --db "$db"
echo "Export written to out/demo/ (one JSONL file per table)."
