"""Seconds per stage on adversarial texts of growing size: is every per-document stage linear?

    .venv/bin/python benchmarks/adversarial.py [--sizes 0.1,0.5,1,2] [--cases all] [--cap 120]
    .venv/bin/python benchmarks/adversarial.py --regexes 5000

Each case (``"A." * n``, one line without spaces, digit chains, capitalised runs, scripts
without spaces, RTL overrides, deep brackets, ...) is written to a temporary ``.txt`` file of
each size (MB), read with ``iter_inputs`` and run through ``default_stages`` in order, in
this process, timing every stage. A stage that takes longer than ``--cap`` seconds is
interrupted (SIGALRM) and shown as ``>cap``; larger sizes of that case are then skipped for
it. A case the cleaner rejects goes on through the later stages with its raw text, so
that every stage meets it. The last row of a case, ``x2``, is the ratio time(largest) / time(half of it) summed over
stages: about 2 for linear work, 4 for quadratic.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from newsloom.config import load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.models import Document
from newsloom.pipeline import default_stages
from test_adversarial import CASES


class StageTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise StageTimeout


def read_doc(text: str, config) -> Document:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "adversarial.txt"
        path.write_text(text, encoding="utf-8")
        (item,) = list(iter_inputs([str(path)], config))
    if not isinstance(item, Document):
        raise SystemExit(f"rejected on read: {item}")
    return item


def run_case(make: Callable[[int], str], n_bytes: int, stages, config, cap: float) -> dict[str, float | None]:
    """Seconds per stage (None: over the cap) for one input of about ``n_bytes`` bytes."""
    text = make(n_bytes)
    t0 = time.perf_counter()
    doc = read_doc(text, config)
    times: dict = {"read": time.perf_counter() - t0}
    for stage in stages:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, cap)
        t0 = time.perf_counter()
        try:
            stage([doc])
            times[stage.name] = time.perf_counter() - t0
        except StageTimeout:
            times[stage.name] = None
            break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if doc.rejected:
            # a stage (the cleaner, mostly) dropped the input: run the later stages on it anyway,
            # so that they meet the adversarial text too (a slightly different file could pass)
            times["rejected"] = stage.name
            doc.rejected = None
            if not doc.text:
                doc.text = text
    return times


AUDITED = [
    "newsloom.clean.lines", "newsloom.clean.header", "newsloom.clean.stage", "newsloom.clean.sentences",
    "newsloom.quantities.extract", "newsloom.clean.numbers", "newsloom.clean.tokens", "newsloom.dates.extract",
    "newsloom.link.linker", "newsloom.link.translit", "newsloom.link.kb", "newsloom.ner.model",
]
AUDIT_UNITS = [" ", "1", "a", "A", "a.", ". ", "1 ", "1.", "1,", "-", "|", " |", "\t", "a1", "1:", "www.", "a-",
               "A ", ".", " .", "\u0663", "\u0627", "'", "(", "a b", "h", ":", "a:", "a.b", " -", "- "]
AUDIT_TAILS = ["", "!", " x", "1"]


def _patterns() -> dict[str, object]:
    """Module-level patterns of the audited modules, and those compiled from the language data."""
    import importlib
    import re

    import regex

    found: dict[str, object] = {}

    def collect(obj, name: str, depth: int = 0) -> None:
        if isinstance(obj, (re.Pattern, regex.Pattern)):
            found[name] = obj
        elif depth < 3 and isinstance(obj, dict):
            for k, v in obj.items():
                collect(v, f"{name}[{k!r}]", depth + 1)
        elif depth < 3 and isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj):
                collect(v, f"{name}[{i}]", depth + 1)
        elif depth < 3 and type(obj).__module__.startswith("newsloom"):
            for a in tuple(getattr(obj, "__slots__", ()) or ()) + tuple(getattr(obj, "__dict__", {})):
                if hasattr(obj, a):
                    collect(getattr(obj, a), f"{name}.{a}", depth + 1)

    for mod in AUDITED:
        for k, v in vars(importlib.import_module(mod)).items():
            collect(v, f"{mod}.{k}")
    from newsloom.clean.lines import _load_data
    from newsloom.quantities.extract import finder
    from newsloom.resources import languages

    collect(_load_data(), "clutter data")
    for lang in [*languages(), None]:
        collect(finder(lang), f"quantities({lang})")
    return found


def audit_regexes(n: int) -> None:
    """Every pattern on strings of n and 4n characters built from one repeated unit: a ratio over 8
    (4 is linear, 16 quadratic; best of three runs) on any of them is reported. finditer tries
    every start position."""
    def seconds(p, s: str) -> float:
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in p.finditer(s):
                pass
            best = min(best, time.perf_counter() - t0)
        return best

    pats = _patterns()
    flagged = 0
    for name, p in pats.items():
        worst = None
        for unit in AUDIT_UNITS:
            for tail in AUDIT_TAILS:
                a = seconds(p, unit * (n // len(unit)) + tail)
                if a < 0.002:
                    continue
                b = seconds(p, unit * (4 * n // len(unit)) + tail)
                if b > 8 * a and b > 0.02 and (worst is None or b / a > worst[0]):
                    worst = (b / a, unit, tail, a, b)
        if worst:
            flagged += 1
            print(f"{name}: /{p.pattern[:80]}/ x{worst[0]:.1f} on {worst[1]!r}*n+{worst[2]!r} "
                  f"({worst[3]:.3f} s -> {worst[4]:.3f} s)")
    print(f"{len(pats)} patterns, {flagged} flagged (n = {n:,} and {4 * n:,} characters)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0.1,0.5,1,2", help="input sizes in MB (10^6 bytes of UTF-8)")
    ap.add_argument("--cases", default="all", help="comma-separated case names (default: all)")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds after which a stage is interrupted")
    ap.add_argument("--stages", default="", help="only time these stages (comma-separated; earlier ones still run)")
    ap.add_argument("--regexes", type=int, default=0, metavar="N",
                    help="instead: audit every pattern of the cleaning and extraction modules on N and 4N characters")
    args = ap.parse_args()
    if args.regexes:
        audit_regexes(args.regexes)
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    names = list(CASES) if args.cases == "all" else args.cases.split(",")
    config = load_config()
    stages = default_stages(config)
    for stage in stages:
        stage.ensure_setup()
    shown = [s.name for s in stages] if not args.stages else args.stages.split(",")
    head = ["case", "MB"] + ["read"] + shown + ["total"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name in names:
        make = CASES[name]
        totals: list[float] = []
        over = False
        for mb in sizes:
            if over:
                print(f"| {name} | {mb:g} | skipped: a smaller size was over the cap |")
                continue
            times = run_case(make, int(mb * 1_000_000), stages, config, args.cap)
            cells, total = [], 0.0
            for col in ["read"] + shown:
                t = times.get(col, 0.0)
                if t is None:
                    cells.append(f">{args.cap:g}")
                    over = True
                elif col in times:
                    cells.append(f"{t:.2f}")
                    total += t
                else:
                    cells.append("-")
            note = f" (rejected by {times['rejected']}; later stages on the raw text)" if "rejected" in times else ""
            totals.append(total)
            print(f"| {name}{note} | {mb:g} | " + " | ".join(cells) + f" | {total:.2f} |", flush=True)
        if len(totals) >= 2 and totals[-2] > 0 and not over:
            print(f"| {name} | x2 | ratio largest/previous size: {totals[-1] / totals[-2]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
