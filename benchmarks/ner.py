"""Named entity recognition: entity-level strict F1 (seqeval, IOB2) on each test split.

    .venv/bin/python benchmarks/ner.py [--data ../shared/data/ner] [--split test] [--models DIR]

For each corpus in ../shared/data/ner the shipped CRF of its language is scored on the
gold tokens, beside:
- a baseline measured in the same run: the CoNLL-2003 dictionary baseline (tag a word
  sequence with the type it had most often in the training split, longest match first);
- the published number (fine-tuned transformers on GPU; ANERcorp's is on the official
  CAMeL split, not the repo split kept here, so it is only indicative).
Throughput: sentences per CPU-second (process time: per core, whatever else runs on the
machine) of features + tagging on gold tokens, and of the whole ``ner`` stage (tokenising
raw text, finding spans) on the same sentences joined with spaces.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsloom.config import load_config
from newsloom.models import Document, Span
from newsloom.ner.model import CrfTagger, bio_spans
from newsloom.ner.stage import EntityRecognizer
from newsloom.ner.train import CORPORA, load_corpus, score

PUBLISHED = {
    "id-nergrit": (79.1, "XLM-R base fine-tuned (IndoNLU paper, test)"),
    "id-nerp": (79.3, "IndoBERT-large fine-tuned (IndoNLU paper, test)"),
    "ar-anercorp": (83.0, "CAMeLBERT fine-tuned, official split (not this repo split)"),
}


def dictionary_baseline(train, sents, max_len: int = 6):
    """Tag longest word sequences seen as entities in training with their most frequent type."""
    seen: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for words, tags in train:
        for a, b, typ in bio_spans(tags):
            seen[tuple(words[a:b])][typ] += 1
    lex = {k: c.most_common(1)[0][0] for k, c in seen.items()}
    out = []
    for words, _ in sents:
        tags = ["O"] * len(words)
        i = 0
        while i < len(words):
            for n in range(min(max_len, len(words) - i), 0, -1):
                typ = lex.get(tuple(words[i : i + n]))
                if typ:
                    tags[i : i + n] = [f"B-{typ}"] + [f"I-{typ}"] * (n - 1)
                    i += n
                    break
            else:
                i += 1
        out.append(tags)
    return out


def stage_speed(lang: str, sents) -> float:
    stage = EntityRecognizer(load_config())
    stage.ensure_setup()
    docs = []
    for k in range(0, len(sents), 20):  # documents of 20 sentences
        chunk = [" ".join(w) for w, _ in sents[k : k + 20]]
        text = " ".join(chunk)
        spans, pos = [], 0
        for s in chunk:
            spans.append(Span(start=pos, end=pos + len(s), text=s))
            pos += len(s) + 1
        docs.append(Document(source="bench", raw=text, text=text, lang=lang, sentences=spans))
    t0 = time.process_time()
    stage(docs)
    return len(sents) / (time.process_time() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ner"))
    ap.add_argument("--split", default="test")
    ap.add_argument("--models", default=str(ROOT / "src" / "newsloom" / "ner" / "models"))
    args = ap.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        print(f"no data at {data}; nothing to measure")
        return 0
    rows, types = [], []
    for name, corpus in CORPORA.items():
        if not (data / corpus.folder).is_dir():
            continue
        sents = load_corpus(name, args.split, data)
        gold = [t for _, t in sents]
        kept = set(corpus.labels.values())
        tagger = CrfTagger.load(Path(args.models) / f"{corpus.lang}.crfsuite")
        t0 = time.process_time()
        pred = [tagger.tag_words(w) for w, _ in sents]
        secs = time.process_time() - t0
        pred = [[t if t == "O" or t[2:] in kept else "O" for t in seq] for seq in pred]
        ours = score(name, args.split, gold, pred, secs)
        base = score(name, args.split, gold, dictionary_baseline(load_corpus(name, "train", data), sents))
        rows.append((name, len(sents), ours, base, stage_speed(corpus.lang, sents)))
        for typ, v in sorted(ours.per_type.items()):
            types.append((name, typ, v, base.per_type.get(typ, {}).get("f1", 0.0)))

    print(f"\nNER, entity-level strict F1 (seqeval IOB2), split={args.split}\n")
    print(
        "| corpus | sentences | newsloom CRF P / R / F1 | dictionary baseline F1 | published F1 | CRF sent/s (tokens given) | stage sent/s (raw text) |"
    )
    print("|---|---:|---|---:|---|---:|---:|")
    for name, n, o, b, sp in rows:
        pub, what = PUBLISHED[name]
        print(
            f"| {name} | {n} | {o.precision * 100:.1f} / {o.recall * 100:.1f} / **{o.f1 * 100:.1f}** | "
            f"{b.f1 * 100:.1f} | {pub} ({what}) | {o.sents_per_second:.0f} | {sp:.0f} |"
        )
    print("\n| corpus | type | P | R | F1 | support | baseline F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, typ, v, bf in types:
        print(
            f"| {name} | {typ} | {v['precision'] * 100:.1f} | {v['recall'] * 100:.1f} | {v['f1'] * 100:.1f} | "
            f"{v['support']} | {bf * 100:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
