#!/usr/bin/env bash
# Create .venv and install newsloom with the given extras (default: dev). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# torch, when an extra needs it, must be the local CPU wheel 2.13.0 (any other version pulls GBs)
# the tests run both stores: dev brings the postgres extra (psycopg) too
if [ "$extras" = dev ]; then extras="dev,postgres"; fi
# the Ray runner's tests run too: dev brings the ray extra (~500 MB, about 10 s from wheels)
case ",${extras}," in *,dev,*) extras="${extras},ray" ;; esac
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${extras}]"
