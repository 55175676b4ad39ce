"""Language knowledge as data: ``resources/lang/<iso>/<resource>.yaml``.

``_base/<resource>.yaml`` holds keys shared by every language; a language file adds to
it (lists are concatenated, tables merged). ``schema.yaml`` fixes the vocabulary of keys
each resource may use, and every file is validated against it (see tests/test_resources.py).
Adding a language means adding files, never editing code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

BASE = "_base"


def _root():
    return resources.files("newsloom").joinpath("resources")


@lru_cache(maxsize=None)
def schema() -> dict[str, dict[str, str]]:
    """resource name -> {key: type name} where type is one of str, list, dict, number, bool."""
    return yaml.safe_load(_root().joinpath("schema.yaml").read_text(encoding="utf-8")) or {}


def languages() -> list[str]:
    """Every language code with a folder of data files (``_base`` excluded)."""
    lang_dir = _root().joinpath("lang")
    return sorted(p.name for p in lang_dir.iterdir() if p.is_dir() and p.name != BASE)


@lru_cache(maxsize=None)
def raw_file(lang: str, name: str) -> dict[str, Any]:
    """One data file as written, or {} when the language has none."""
    path = _root().joinpath("lang", lang, f"{name}.yaml")
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data or {}


def _combine(base: Any, extra: Any) -> Any:
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _combine(out[k], v) if k in out else v
        return out
    return extra


@lru_cache(maxsize=None)
def lang_resource(lang: str | None, name: str) -> dict[str, Any]:
    """The ``_base`` file of a resource combined with the language's own file."""
    data = raw_file(BASE, name)
    if lang and lang != BASE:
        data = _combine(data, raw_file(lang, name))
    return data


def all_languages_resource(name: str) -> dict[str, Any]:
    """The resource combined over ``_base`` and every language (for language-blind passes)."""
    data = raw_file(BASE, name)
    for lang in languages():
        data = _combine(data, raw_file(lang, name))
    return data


_TYPES = {"str": str, "list": list, "dict": dict, "bool": bool, "number": (int, float)}


def validate(lang: str, name: str) -> list[str]:
    """Problems with one data file: unknown resource, unknown keys, wrong value types."""
    spec = schema().get(name)
    if spec is None:
        return [f"{lang}/{name}.yaml: no resource {name!r} in schema.yaml"]
    data = raw_file(lang, name)
    if not isinstance(data, dict):
        return [f"{lang}/{name}.yaml: top level must be a mapping"]
    problems = []
    for key, value in data.items():
        if key not in spec:
            problems.append(f"{lang}/{name}.yaml: unknown key {key!r} (allowed: {', '.join(sorted(spec))})")
        elif not isinstance(value, _TYPES[spec[key]]):
            problems.append(f"{lang}/{name}.yaml: key {key!r} must be a {spec[key]}")
    return problems
