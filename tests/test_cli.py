from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from newsloom.cli import _VisibleFormatter, app, shown
from newsloom.config import load_config
from newsloom.models import Reject
from newsloom.pipeline import analyze
from newsloom.store import open_store

runner = CliRunner()


def _commands():
    return sorted(get_command(app).commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help(name):
    cmd = get_command(app).commands[name]
    assert cmd.help and len(cmd.help.strip()) > 20, f"command {name} has no help text"
    for param in cmd.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert param.help, f"option {param.name} of {name} has no help text"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0


def test_contract_commands_exist():
    assert {"analyze", "export"} <= set(_commands())


def test_bad_arguments_exit_2(tmp_path):
    assert runner.invoke(app, ["analyze"]).exit_code == 2
    assert runner.invoke(app, ["export", "--db", str(tmp_path / "x.duckdb"), "--out", str(tmp_path), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["export", "--db", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path)]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[runner]\nwrokers = 1\n")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--config", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2
    assert "runner.wrokers" in result.output


# ---- text from inputs and the store is shown as written, never obeyed --------------------------
# File names, titles and publishers carrying console markup, terminal escape codes, a
# right-to-left override and a newline: every command prints them as visible text and exits 0.

HOSTILE = "[/x][bold]\x1b[31m\u202eexe.txt\nsecond line"
HOSTILE_SHOWN = "[/x][bold]\\x1b[31m\\u202eexe.txt\\nsecond line"
# a file name cannot hold "/": the inputs sit in a folder "in [" so that every path has "[/nope]"
NAME = "nope] [bold]\x1b[31m\u202eexe\nsecond line"
NAME_SHOWN = "in [/nope] [bold]\\x1b[31m\\u202eexe\\nsecond line"
# what a terminal acts on: C0/C1 controls except the newlines between output lines, and the
# bidirectional embeddings, overrides and isolates
UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

STORY_TEXT = (
    "Floods forced 1,200 people from their homes in the town of Valdoria on Tuesday, officials said. "
    "The river burst its banks after three days of rain, and rescue teams used boats to reach families "
    "on rooftops. The regional governor said 300 soldiers had been sent to help."
)


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "in ["
    folder.mkdir()
    (folder / f"{NAME} flood.txt").write_text(
        f"Valdoria floods {HOSTILE}\n\n{STORY_TEXT} Local radio reported more rain.\n", encoding="utf-8")
    lines = [{"text": STORY_TEXT + " Schools were closed.", "title": f"Title {HOSTILE}", "lang": "en",
              "publisher": f"Outlet {HOSTILE}", "date": "2031-03-04", "url": "https://example.org/a"},
             {"text": STORY_TEXT + " Roads were cut.", "title": f"Floods {HOSTILE}", "lang": "en",
              "publisher": f"Outlet {HOSTILE}", "date": "2031-03-05", "url": "https://example.org/b"}]
    (folder / f"{NAME} feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (folder / f"{NAME} empty.txt").write_text("", encoding="utf-8")  # a reject naming the file
    return folder


@pytest.fixture(scope="module")
def hostile_store(hostile_inputs, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile-db") / "store.duckdb"
    summary = analyze([str(hostile_inputs)], db=db, config=load_config(overrides={"runner": {"workers": 1}}))
    assert summary.added == 3 and len(summary.rejects) == 1
    with open_store(db) as store:  # a run logged with raw names, however the readers record them
        run_id = store.begin_run([str(hostile_inputs / NAME)])
        store.finish_run(run_id, added=0, already_stored=0, stats={}, status="done",
                         rejects=[Reject(source=str(hostile_inputs / f"{NAME} raw.txt"), reason=f"bad {HOSTILE}")])
    return db


def _shows_safely(result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    text = result.stdout + result.stderr
    assert not UNSHOWABLE.search(text), repr(text)
    return text


def test_shown_escapes_markup_and_control_codes():
    assert shown("a[/x]b") == "a\\[/x]b"
    assert shown("\x1b[2J\x07\x9b\u202e\u2066\r\t\n") == "\\x1b[2J\\x07\\x9b\\u202e\\u2066\\r\\t\\n"
    assert shown("مصر Mesir ü") == "مصر Mesir ü"  # ordinary text of any script is left alone
    assert shown("no\udcffdir") == "no\\xffdir"  # a path byte that is not UTF-8 (os.fsdecode)


def test_log_lines_show_control_codes():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_VisibleFormatter("%(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("newsloom.test_cli")
    log.addHandler(handler)
    try:
        log.warning("skipped %s", "a\x1b[2Jb\u202ec")
    finally:
        log.removeHandler(handler)
    assert stream.getvalue() == "WARNING newsloom.test_cli: skipped a\\x1b[2Jb\\u202ec\n"


def test_bad_store_path_is_shown_not_obeyed(tmp_path):
    result = runner.invoke(app, ["stats", "--db", str(tmp_path / "no\udcff\x1b[2Jdir" / "x.duckdb")])
    assert result.exit_code == 2
    assert "no\\xff\\x1b[2Jdir" in result.stderr


@pytest.mark.parametrize("command", [["analyze", "{inputs}", "--db", "{db}"], ["analyze", "{inputs}", "-q", "--db", "{db}"],
                                     ["analyze", "{inputs}", "-v", "--db", "{db}"], ["runs", "--db", "{db}"],
                                     ["stats", "--db", "{db}"], ["stories", "--db", "{db}"],
                                     ["stories", "--events", "--db", "{db}"]])
def test_hostile_text_is_shown_not_obeyed(command, hostile_inputs, hostile_store):
    args = [a.format(inputs=hostile_inputs, db=hostile_store) for a in command]
    text = _shows_safely(runner.invoke(app, args))
    if command[0] in ("analyze", "runs"):
        assert f"{NAME_SHOWN} empty.txt" in text  # the reject names its file as written
    if command[0] == "runs":
        assert f"{NAME_SHOWN} raw.txt: bad {HOSTILE_SHOWN}" in text
        assert f"inputs: {hostile_inputs.parent}/{NAME_SHOWN}" in text
    if command[0] == "stats":
        assert f"Outlet {HOSTILE_SHOWN}" in text.replace("\n", "")  # publishers are counted by name


def test_hostile_titles_and_outlets_in_stories(hostile_store, monkeypatch):
    import newsloom.cli

    monkeypatch.setattr(newsloom.cli.out, "width", 400)  # wide enough that no title wraps in its cell
    text = _shows_safely(runner.invoke(app, ["stories", "--db", str(hostile_store)]))
    assert "[/x][bold]\\x1b[31m" in text


def test_hostile_paths_in_export(hostile_store, tmp_path):
    out_dir = tmp_path / "out [" / NAME
    text = _shows_safely(runner.invoke(app, ["export", "--db", str(hostile_store), "--out", str(out_dir)]))
    assert f"out {NAME_SHOWN[3:]}" in text
    assert len((out_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_error_messages_show_paths_as_written(tmp_path):
    missing = tmp_path / "in [" / f"{NAME}.duckdb"
    result = runner.invoke(app, ["stats", "--db", str(missing)])
    assert result.exit_code == 2
    assert not UNSHOWABLE.search(result.stdout + result.stderr)


def test_pipeline_notices_reach_stderr_as_text(tmp_path, monkeypatch):
    """What analyze() announces (a run waiting for another, dead runs finished) is printed, escaped."""
    import newsloom.pipeline

    def fake_analyze(paths, db, config, *, progress=None, notice=None):
        notice(f"another newsloom run is writing to {tmp_path}/[/x]\x1b[2J; waiting for it to finish")
        return newsloom.pipeline.RunSummary(run_id=1, inputs=list(paths))

    monkeypatch.setattr(newsloom.pipeline, "analyze", fake_analyze)
    text = _shows_safely(runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "s.duckdb")]))
    assert f"note: another newsloom run is writing to {tmp_path}/[/x]\\x1b[2J; waiting" in text
