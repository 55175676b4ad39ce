"""Learn when the fast classifier needs a second opinion: ``models/cascade.json``.

    python -m newsloom.langid.train_cascade [--sentences ../shared/data/langid/sentences]

Reads only the DEV slice of the lingua test sentences (every line whose 0-based index is a
multiple of ``DEV_EVERY``); benchmarks/langid.py reports on the other lines. For each label
fastText (lid.176) predicts, it records

* ``trust``: the lowest top-1 probability from which that label was right at least
  ``PRECISION`` of the time on the dev slice (labels never reaching it always get a second
  opinion), and
* ``confusions``: how often each true language was mislabelled as it, so that the second
  opinion also weighs the languages fastText confuses with its guess (and the languages it
  does not know at all, such as Zulu or Maori).

The sentences are Apache-2.0 (pemistahl/lingua-py language-testdata).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

DEV_EVERY = 5
PRECISION = 0.99
MIN_SUPPORT = 20
GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)
# fastText lid.176 labels that are not the ISO 639-1/639-3 code newsloom reports
LABEL_MAP = {"no": "nb", "als": "gsw", "sh": "hbs", "bh": "bih", "eml": "egl"}


def is_dev(index: int) -> bool:
    return index % DEV_EVERY == 0


def read_dev(folder: Path) -> dict[str, list[str]]:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out[path.stem] = [s for i, s in enumerate(lines) if is_dev(i)]
    return out


def learn(folder: Path) -> dict:
    from newsloom.langid.detector import load_fasttext

    ft = load_fasttext()
    stats: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    confusions: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, sents in read_dev(folder).items():
        for sent in sents:
            labels, probs = ft.predict(" ".join(sent.split()), k=1)
            top = labels[0].removeprefix("__label__")
            top = LABEL_MAP.get(top, top)
            stats[top].append((float(probs[0]), top == gold))
            if top != gold:
                confusions[top][gold] += 1
    trust = {}
    for label, xs in sorted(stats.items()):
        for th in GRID:
            sel = [ok for p, ok in xs if p >= th]
            if len(sel) >= MIN_SUPPORT and sum(sel) / len(sel) >= PRECISION:
                trust[label] = th
                break
    return {
        "about": "learned by python -m newsloom.langid.train_cascade from the dev slice "
        f"(every {DEV_EVERY}th line) of lingua-py language-testdata sentences (Apache-2.0)",
        "precision": PRECISION,
        "label_map": LABEL_MAP,
        "trust": trust,
        "confusions": {k: dict(sorted(v.items())) for k, v in sorted(confusions.items())},
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=Path, default=Path("../shared/data/langid/sentences"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "models" / "cascade.json")
    args = ap.parse_args(argv)
    data = learn(args.sentences)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(data['trust'])} trusted labels, {len(data['confusions'])} confusion rows")


if __name__ == "__main__":
    main()
