"""The alias knowledge base: organisations, people and regions with names in many languages.

Shipped as data in ``newsloom/resources/kb/*.yaml`` (a list of entries per file) and
extended by the user's JSONL file named by the configuration key ``link.user_kb`` (one
entry per line). Every entry has the same fields::

    id:       stable key, lower case ASCII (letters, digits, "-", "_", "."); the entity id is "kb:<id>"
    type:     PER, ORG, LOC or MISC
    name:     canonical display name (English)
    aliases:  {language code or "*": [names...]}  - the name itself is always an alias
    country:  optional ISO 3166 code the entity belongs to (breaks ties between same-named entries)
    note:     optional free text (what the entry is; never used for matching)

A user entry whose id is already in the knowledge base adds its aliases to that entry and
replaces its other fields; a new id adds an entry. Bad files raise ``KBError`` naming the
file, the line (JSONL) or entry, and the problem.

Aliases are matched on :func:`newsloom.link.translit.fold` keys, except short forms in
capitals ("UN", "AP", "AS"), which match only as written (dots and spaces ignored), so the
English pronoun "us" is never the United States.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from newsloom.link.places import exact_form, is_case_sensitive
from newsloom.link.translit import fold

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_FIELDS = {"id", "type", "name", "aliases", "country", "note"}


class KBError(ValueError):
    """A knowledge-base file or entry is malformed."""


@dataclass(slots=True)
class KBEntry:
    id: str
    type: str
    name: str
    aliases: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None
    note: str | None = None

    @property
    def entity_id(self) -> str:
        return f"kb:{self.id}"

    def all_aliases(self) -> list[str]:
        out = [self.name]
        for names in self.aliases.values():
            out.extend(n for n in names if n not in out)
        return out


def parse_entry(data: Any, where: str) -> KBEntry:
    """One entry from a decoded YAML/JSON object; ``where`` names it in errors."""
    if not isinstance(data, dict):
        raise KBError(f"{where}: an entry must be a mapping, got {type(data).__name__}")
    unknown = set(data) - _FIELDS
    if unknown:
        raise KBError(f"{where}: unknown field(s) {sorted(unknown)} (allowed: {sorted(_FIELDS)})")
    for key in ("id", "type", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise KBError(f"{where}: field {key!r} must be a non-empty string")
    if not _ID.match(data["id"]):
        raise KBError(f"{where}: id {data['id']!r} must be lower-case ASCII letters, digits, '-', '_' or '.'")
    if data["type"] not in ENTITY_TYPES:
        raise KBError(f"{where}: type {data['type']!r} must be one of {', '.join(ENTITY_TYPES)}")
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise KBError(f"{where}: 'aliases' must map a language code to a list of names")
    clean: dict[str, list[str]] = {}
    for lang, names in aliases.items():
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise KBError(f"{where}: aliases[{lang!r}] must be a list of non-empty strings")
        clean[str(lang)] = [n.strip() for n in names]
    country = data.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
        raise KBError(f"{where}: country {country!r} must be an ISO 3166 alpha-2 code such as 'EG'")
    note = data.get("note")
    return KBEntry(
        id=data["id"],
        type=data["type"],
        name=data["name"].strip(),
        aliases=clean,
        country=country,
        note=note if isinstance(note, str) else None,
    )


def shipped_entries() -> list[KBEntry]:
    """Every entry of the shipped files, in file order; duplicate ids are an error."""
    root = resources.files("newsloom").joinpath("resources", "kb")
    out: list[KBEntry] = []
    seen: dict[str, str] = {}
    for f in sorted(
        (p for p in root.iterdir() if p.name.endswith((".yaml", ".jsonl"))), key=lambda p: p.name
    ):
        text = f.read_text(encoding="utf-8")
        entries = _read_jsonl(text, f.name) if f.name.endswith(".jsonl") else _read_yaml(text, f.name)
        for e in entries:
            if e.id in seen:
                raise KBError(f"kb/{f.name}: id {e.id!r} already defined in kb/{seen[e.id]}")
            seen[e.id] = f.name
            out.append(e)
    return out


def _read_yaml(text: str, name: str) -> list[KBEntry]:
    data = yaml.safe_load(text) or []
    if not isinstance(data, list):
        raise KBError(f"kb/{name}: the top level must be a list of entries")
    return [
        parse_entry(d, f"kb/{name} entry {i + 1} ({d.get('id') if isinstance(d, dict) else '?'})")
        for i, d in enumerate(data)
    ]


def _read_jsonl(text: str, name: str) -> list[KBEntry]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KBError(f"{name}:{n}: not valid JSON: {exc.msg}") from exc
        out.append(parse_entry(data, f"{name}:{n}"))
    return out


def load_user_kb(path: str | Path) -> list[KBEntry]:
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KBError(f"link.user_kb: file {p} does not exist") from exc
    return _read_jsonl(text, str(p))


class KnowledgeBase:
    """Entries by id and by alias key."""

    def __init__(self, entries: list[KBEntry]) -> None:
        self.entries: dict[str, KBEntry] = {}
        for e in entries:
            old = self.entries.get(e.id)
            if old is not None:  # a user entry extends (aliases) and overrides (fields) a shipped one
                merged = {lang: list(names) for lang, names in old.aliases.items()}
                for lang, names in e.aliases.items():
                    merged.setdefault(lang, []).extend(n for n in names if n not in merged[lang])
                if old.name != e.name:
                    merged.setdefault("*", []).append(old.name)
                e = KBEntry(
                    id=e.id,
                    type=e.type,
                    name=e.name,
                    aliases=merged,
                    country=e.country or old.country,
                    note=e.note or old.note,
                )
            self.entries[e.id] = e
        self._index: dict[str, list[str]] = {}
        for e in self.entries.values():
            for alias in e.all_aliases():
                for key in alias_keys(alias):
                    ids = self._index.setdefault(key, [])
                    if e.id not in ids:
                        ids.append(e.id)

    @classmethod
    def load(cls, user_kb: str | Path | None = None) -> KnowledgeBase:
        entries = shipped_entries()
        if user_kb:
            entries += load_user_kb(user_kb)
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> KBEntry | None:
        return self.entries.get(entry_id.removeprefix("kb:"))

    def lookup(self, text: str, key: str | None = None) -> list[KBEntry]:
        """Entries one of whose aliases is ``text`` (``key``: a precomputed fold key to use instead)."""
        ids: list[str] = []
        if is_case_sensitive(text):
            ids += self._index.get("=" + exact_form(text), [])
        k = fold(text) if key is None else key
        ids += [i for i in self._index.get(k, []) if i not in ids]
        return [self.entries[i] for i in ids]


def alias_keys(alias: str) -> list[str]:
    """Index keys of an alias: its exact form ("=UN") for capitals, else its fold key."""
    if is_case_sensitive(alias):
        return ["=" + exact_form(alias)]
    k = fold(alias)
    return [k] if k else []
