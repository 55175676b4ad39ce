from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from newsloom.cli import app

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
