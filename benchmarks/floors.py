"""Score floors: one file (benchmarks/floors.toml) that every score gate reads; floors only go up.

    .venv/bin/python benchmarks/floors.py show
    .venv/bin/python benchmarks/floors.py raise NAME VALUE     # e.g. raise ner.id_nergrit_f1 0.75

Gates call ``floor("section.name")`` (tests/conftest.py hands it to tests as the ``floor`` fixture).
``raise`` rewrites only that number in the file, keeping its comments, and refuses to lower it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

FLOORS = Path(__file__).resolve().with_name("floors.toml")


def load(path: Path = FLOORS) -> dict[str, float]:
    """{"section.name": floor} for every floor in the file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {f"{section}.{key}": float(v) for section, keys in data.items() for key, v in keys.items()}


def floor(name: str, path: Path = FLOORS) -> float:
    floors = load(path)
    if name not in floors:
        raise KeyError(f"no floor {name!r} in {path.name} (floors: {', '.join(sorted(floors))})")
    return floors[name]


def raise_floor(name: str, value: float, path: Path = FLOORS) -> float:
    """Set floor ``name`` to ``value``; refuse to lower it. Returns the previous floor."""
    old = floor(name, path)
    if value < old:
        raise ValueError(f"{name}: {value} is below the current floor {old}; floors only go up")
    section, key = name.split(".", 1)
    text = path.read_text(encoding="utf-8")
    head = re.search(rf"^\[{re.escape(section)}\]\s*$", text, re.M)
    line = re.compile(rf"^({re.escape(key)}\s*=\s*)[0-9.eE+-]+", re.M)
    m = line.search(text, head.end())
    text = text[: m.start()] + f"{m.group(1)}{value:g}" + text[m.end():]
    path.write_text(text, encoding="utf-8")
    assert floor(name, path) == value
    return old


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("show")
    r = sub.add_parser("raise")
    r.add_argument("name")
    r.add_argument("value", type=float)
    args = ap.parse_args(argv)
    if args.cmd == "show":
        for name, v in sorted(load().items()):
            print(f"{name:32s} {v:g}")
        return 0
    try:
        old = raise_floor(args.name, args.value)
    except (KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.name}: {old:g} -> {args.value:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
