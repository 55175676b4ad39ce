"""`newsloom analyze --runner ray` gives the same export as `--runner local`, ids included.

The whole shipped pipeline (every per-document stage and pass) on the demo corpus, in batches
of 8 so that results from several actors are merged back in order. The Ray run starts its own
local Ray, as a user's would. Skipped with the reason when ray is not installed; failed
instead when NEWSLOOM_REQUIRE has ``ray``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from gates import unavailable

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo" / "articles"


def _newsloom(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "newsloom.cli", *args], capture_output=True, text=True, check=False,
                          cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_ray_and_local_runners_export_the_same(tmp_path, check_export_dir):
    if importlib.util.find_spec("ray") is None:
        unavailable("ray", "ray is not installed (pip install 'newsloom[ray]'): the Ray runner is not tested")
    config = tmp_path / "batches.toml"
    config.write_text("[runner]\nbatch_size = 8\n", encoding="utf-8")
    exports = {}
    for kind in ("local", "ray"):
        db = tmp_path / f"{kind}.duckdb"
        line = _newsloom("analyze", str(DEMO), "--db", str(db), "--config", str(config), "--runner", kind, "-q")
        assert " 0 rejected" in line, line
        out = tmp_path / kind
        _newsloom("export", "--db", str(db), "--out", str(out), "--format", "jsonl")
        check_export_dir(out)
        exports[kind] = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.jsonl"))}
    assert exports["local"].keys() == exports["ray"].keys()
    assert exports["local"]["documents.jsonl"].count("\n") >= len(list(DEMO.iterdir()))
    for name, text in exports["local"].items():
        assert exports["ray"][name] == text, f"{name} differs between the local and the Ray runner"
