#!/usr/bin/env bash
# Set up, analyse the demo corpus, export it, print a report, then serve the web view.
# NEWSLOOM_NO_SERVE=1 skips the server (e.g. in scripts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
db=out/demo.duckdb
mkdir -p out
.venv/bin/newsloom analyze examples/demo/articles --db "$db"
.venv/bin/newsloom export --db "$db" --out out/demo --format jsonl
.venv/bin/newsloom stats --db "$db"
.venv/bin/newsloom stories --db "$db"
echo "Export written to out/demo/ (one JSONL file per table)."
if [ "${NEWSLOOM_NO_SERVE:-0}" != "1" ]; then
  echo "Web view: http://127.0.0.1:8000/  (Ctrl+C stops)"
  exec .venv/bin/newsloom serve --db "$db" --port 8000
fi
