from __future__ import annotations

import pytest

from newsloom.config import Config, ConfigError, load_config


def test_shipped_defaults_load_into_frozen_dataclasses():
    cfg = load_config()
    assert isinstance(cfg, Config)
    assert cfg.runner.workers >= 0
    assert cfg.ingest.jsonl.text == "text"
    with pytest.raises(AttributeError):
        cfg.runner.workers = 3  # type: ignore[misc]


def test_user_file_overrides_only_the_keys_it_sets(tmp_path):
    f = tmp_path / "user.toml"
    f.write_text("[runner]\nbatch_size = 7\n[ingest.jsonl]\ntext = 'body'\n")
    cfg = load_config(f)
    default = load_config()
    assert cfg.runner.batch_size == 7
    assert cfg.runner.workers == default.runner.workers
    assert cfg.ingest.jsonl.text == "body"
    assert cfg.ingest.jsonl.title == default.ingest.jsonl.title


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("[runner]\nwrokers = 2\n", "runner.wrokers"),
        ("[runer]\nworkers = 2\n", "runer"),
        ("[runner]\nworkers = 'two'\n", "runner.workers"),
        ("[runner]\nworkers = true\n", "runner.workers"),
        ("runner = 3\n", "runner"),
        ("[ingest.jsonl]\ntext = 5\n", "ingest.jsonl.text"),
        ("[cluster]\nlink_min = -0.5\n", "cluster"),  # the clusterer's own check, as a ConfigError
    ],
)
def test_bad_keys_and_types_are_named(tmp_path, content, named):
    f = tmp_path / "bad.toml"
    f.write_text(content)
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(f)


def test_int_is_accepted_for_float():
    cfg = load_config(overrides={"langid": {"mixed_min_share": 1}})
    assert cfg.langid.mixed_min_share == 1.0


def test_missing_and_invalid_files_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "broken.toml"
    bad.write_text("[runner\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
