"""`newsloom analyze --runner ray` gives the same export as `--runner local`, ids included.

The whole shipped pipeline (every per-document stage and pass) on the demo corpus, in batches
of 8 so that results from several actors are merged back in order: once on a local Ray that the
run starts itself, as a user's would, and once joining a cluster (`ray start --head`) with
`--ray-address`. Skipped with the reason when ray is not installed; failed instead when
NEWSLOOM_REQUIRE has ``ray``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from gates import unavailable

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo" / "articles"
TOKEN = secrets.token_hex(32)


def _newsloom(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "newsloom.cli", *args], capture_output=True, text=True, check=False,
                          cwd=ROOT, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@contextlib.contextmanager
def _ray_head():
    """A one-node Ray cluster, as `ray start --head` makes one; stopped (its process group) after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ray_cli = Path(sys.executable).parent / "ray"
    # token authentication, as Ray recommends, with a token of this test's own in RAY_AUTH_TOKEN
    # (the joining run gets it the same way): nothing depends on a ~/.ray/auth_token left or not
    # left by an earlier Ray of this user
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=TOKEN)
    head = subprocess.Popen([str(ray_cli), "start", "--head", f"--port={port}", "--num-cpus=2",
                             "--include-dashboard=false", "--disable-usage-stats", "--block"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert head.poll() is None, "ray start --head exited"
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(head.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(60)
        time.sleep(2)  # then whatever of the group is left (GCS may outlive `ray start`)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(head.pid, signal.SIGKILL)


def test_ray_and_local_runners_export_the_same(tmp_path, check_export_dir):
    if importlib.util.find_spec("ray") is None:
        unavailable("ray", "ray is not installed (pip install 'newsloom[ray]'): the Ray runner is not tested")
    config = tmp_path / "batches.toml"
    config.write_text("[runner]\nbatch_size = 8\n", encoding="utf-8")
    exports = {}
    with _ray_head() as address:
        runs = {"local": ["--runner", "local"], "ray": ["--runner", "ray"], "cluster": ["--ray-address", address]}
        for kind, how in runs.items():
            env = dict(os.environ, RAY_AUTH_TOKEN=TOKEN) if kind == "cluster" else None
            exports[kind] = _analyze_and_export(tmp_path, kind, config, how, check_export_dir, env)
    assert exports["local"].keys() == exports["ray"].keys() == exports["cluster"].keys()
    assert exports["local"]["documents.jsonl"].count("\n") >= len(list(DEMO.iterdir()))
    for name, text in exports["local"].items():
        assert exports["ray"][name] == text, f"{name} differs between the local runner and a local Ray"
        assert exports["cluster"][name] == text, f"{name} differs between the local runner and a joined cluster"


def _analyze_and_export(tmp_path, kind, config, how, check_export_dir, env) -> dict[str, str]:
    db = tmp_path / f"{kind}.duckdb"
    line = _newsloom("analyze", str(DEMO), "--db", str(db), "--config", str(config), *how, "-q", env=env)
    assert " 0 rejected" in line, line
    out = tmp_path / kind
    _newsloom("export", "--db", str(db), "--out", str(out), "--format", "jsonl")
    check_export_dir(out)
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.jsonl"))}
