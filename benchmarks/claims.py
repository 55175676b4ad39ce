"""Claims and framing (issue 11) on the demo corpus (gold: examples/demo/CLAIMS.tsv) and on NTREX translations.

    .venv/bin/python benchmarks/claims.py                       # both parts
    .venv/bin/python benchmarks/claims.py --part demo
    .venv/bin/python benchmarks/claims.py --part ntrex --docs 60 --langs eng,ind,arb,fra,spa,msa
    .venv/bin/python benchmarks/claims.py --part facts-audit [--show]   # 50 event/statement claims to judge

**Demo.** The 25 articles go through ``newsloom analyze`` into a temporary store, then the
exported ``claims.jsonl`` is checked against the figures the corpus was written with
(``CLAIMS.tsv``: claim, item, value): the share of gold figures that stand as a source of some
claim with the same value (recall), and, for each gold claim whose outlets disagree, whether a
claim holding one of its figures lists another of its figures, with a different value, as
contradicting (detected); for the gold claims whose outlets agree (the palm-oil volume, last
year's trade), whether any of their figures is marked contradicted (a false contradiction).

**NTREX.** ``--docs`` articles of NTREX-128 in each of ``--langs`` (the same articles, translated)
go through ``newsloom analyze``. Translations say the same thing, so every claim marked
contradicted is a false contradiction: reported as the share of all claims and of the claims
whose comparison involved two or more documents, with the contradicted pairs that join two
translations of one article (the comparer's own errors, not a clustering merge) counted apart.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
sys.path.insert(0, str(ROOT / "benchmarks"))


def analyse(paths: list[str], workdir: Path) -> tuple[dict[str, dict], list[dict], list[dict], float]:
    """Documents (by id), claims and framing rows of a fresh analysis, and its seconds."""
    from newsloom.pipeline import analyze
    from newsloom.store.duckdb import open_store

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "claims.duckdb"
    started = time.perf_counter()
    summary = analyze(paths, db=db)
    seconds = time.perf_counter() - started
    with open_store(db, read_only=True) as store:
        out = store.export(workdir / "out")
    docs = {}
    for line in out["documents"].read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        docs[d["doc_id"]] = d
    claims = [json.loads(ln) for ln in out["claims"].read_text(encoding="utf-8").splitlines()]
    framing = [json.loads(ln) for ln in out["framing"].read_text(encoding="utf-8").splitlines()]
    print(f"analysed {summary.added} documents in {seconds:.1f}s: {len(claims)} claims, {len(framing)} framing rows")
    return docs, claims, framing, seconds


def check_offsets(docs: dict[str, dict], claims: list[dict]) -> int:
    bad = 0
    for c in claims:
        for item in c["sources"] + c["contradicting"]:
            bad += docs[item["doc_id"]]["text"][item["start"] : item["end"]] != item["text"]
    return bad


def summarise(docs: dict[str, dict], claims: list[dict]) -> None:
    levels = {c["cluster_id"][:3] for c in claims}
    for level in sorted(levels):
        rows = [c for c in claims if c["cluster_id"].startswith(level)]
        st = Counter(c["status"] for c in rows)
        print(f"  {level}*: {len(rows)} claims  " + "  ".join(f"{k} {st[k]}" for k in sorted(st)))
        for kind in ("quantity", "event", "statement"):
            ks = Counter(c["status"] for c in rows if c.get("kind", "quantity") == kind)
            print(f"    {kind}: {sum(ks.values())}  " + "  ".join(f"{k} {ks[k]}" for k in sorted(ks)))
    attributed = sum(1 for c in claims for s in c["sources"] if s["attributed_to"])
    items = sum(len(c["sources"]) for c in claims)
    print(f"  source items attributed to someone: {attributed}/{items} ({attributed / max(items, 1):.0%})")
    print(f"  items whose text is not doc.text[start:end]: {check_offsets(docs, claims)}")


# ------------------------------------------------------------------ demo
def demo(workdir: Path) -> None:
    docs, claims, framing, _ = analyse([str(DEMO / "articles")], workdir)
    summarise(docs, claims)
    gold = list(csv.DictReader((DEMO / "CLAIMS.tsv").open(encoding="utf-8"), delimiter="\t"))
    titles = {r["item"]: r["title"] for r in csv.DictReader((DEMO / "GOLD.tsv").open(encoding="utf-8"), delimiter="\t")}
    by_item = {item: _doc_of(item, title, docs) for item, title in titles.items()}
    missing = [i for i, d in by_item.items() if d is None]
    if missing:
        print(f"  (gold items not matched to a document: {missing})")
    # every claim source item, with the claim it stands in
    stands: dict[tuple[str, float], list[dict]] = defaultdict(list)
    for c in claims:
        for s in c["sources"]:
            stands[(s["doc_id"], float(c["value"]) if c["value"] is not None else None)].append(c)
    found = 0
    for r in gold:
        doc_id = by_item.get(r["item"])
        hit = doc_id is not None and any(
            d == doc_id and _close(v, float(r["value"])) for (d, v) in stands
        ) or _in_sources(claims, doc_id, float(r["value"]))
        found += bool(hit)
    print(f"  gold figures standing in a claim (same document, a source of a claim with that value or range): "
          f"{found}/{len(gold)} ({found / len(gold):.0%})")
    by_claim: dict[str, list[dict]] = defaultdict(list)
    for r in gold:
        by_claim[r["claim"]].append(r)
    detected = agree_ok = 0
    disagree = agree = 0
    for name, rows in by_claim.items():
        values = {float(r["value"]) for r in rows}
        mentions = {(by_item.get(r["item"]), float(r["value"])) for r in rows}
        if len(values) > 1:
            disagree += 1
            ok = _contradiction_found(claims, mentions)
            detected += ok
            print(f"  {'detected' if ok else 'MISSED  '} {name}: {sorted(values)}")
        else:
            agree += 1
            bad = _falsely_contradicted(claims, mentions)
            agree_ok += not bad
            print(f"  {'agrees  ' if not bad else 'FALSE   '} {name}: {sorted(values)}")
    print(f"  disagreements detected: {detected}/{disagree}; agreeing gold claims kept free of contradiction: "
          f"{agree_ok}/{agree}")
    print("  framing:", [(f["publisher"], f["term"], f["neutral"], f["count"]) for f in framing])


def _doc_of(item: str, title: str, docs: dict[str, dict]) -> str | None:
    file, _, part = item.partition("#")
    for d in docs.values():
        src = d["source"] or ""
        if not part and src.endswith("/" + file):
            return d["doc_id"]
        if part.isdigit() and src.endswith(f"{file}:{part}"):
            return d["doc_id"]
    norm = re.sub(r"\W+", " ", title).strip().casefold()
    for d in docs.values():
        if re.sub(r"\W+", " ", d["title"] or "").strip().casefold() == norm:
            return d["doc_id"]
    return None


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 0.011 * max(abs(b), 1)


def _in_sources(claims: list[dict], doc_id: str | None, value: float) -> bool:
    """A figure stated as a bound or approximation joins a claim of a nearby value: look at the words."""
    if doc_id is None:
        return False
    for c in claims:
        for s in c["sources"]:
            if s["doc_id"] == doc_id and _close(_number(s["text"]), value):
                return True
    return False


def _number(text: str) -> float | None:
    m = re.search(r"\d[\d.,\u00a0\u202f ]*", text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
    if not m:
        return None
    digits = re.sub(r"[^\d]", "", m.group())
    return float(digits) if digits else None


def _contradiction_found(claims: list[dict], mentions: set[tuple[str | None, float]]) -> bool:
    for c in claims:
        if c["status"] != "contradicted" or c["value"] is None:
            continue
        mine = {s["doc_id"] for s in c["sources"]}
        theirs = {s["doc_id"] for s in c["contradicting"]}
        ours = [(d, v) for d, v in mentions if d in mine and _close(c["value"], v)]
        others = [(d, v) for d, v in mentions if d in theirs and not _close(c["value"], v)]
        if ours and others:
            return True
    return False


def _falsely_contradicted(claims: list[dict], mentions: set[tuple[str | None, float]]) -> bool:
    return any(c["status"] == "contradicted" and any(s["doc_id"] == d for s in c["sources"] for d, v in mentions)
               and any(_close(c["value"], v) for _, v in mentions) for c in claims)


# ------------------------------------------------------------------ NTREX
def ntrex(workdir: Path, n_docs: int, langs: list[str]) -> None:
    import ntrex_corpus

    folder = workdir / "ntrex"
    total = sum(ntrex_corpus.write_folder(folder, [lang], limit=n_docs) for lang in langs)
    print(f"NTREX: {total} documents ({n_docs} articles x {len(langs)} languages: {', '.join(langs)})")
    docs, claims, framing, seconds = analyse([str(folder)], workdir)
    summarise(docs, claims)
    article = {d: Path(v["source"]).stem for d, v in docs.items()}
    events = [c for c in claims if c["cluster_id"].startswith("ev-")]
    for name, rows in (("event claims", events), ("all claims (events and stories)", claims)):
        compared = [c for c in rows if len({s["doc_id"] for s in c["sources"] + c["contradicting"]}) >= 2
                    or c["status"] == "contradicted"]
        contra = [c for c in rows if c["status"] == "contradicted"]
        same = [c for c in contra if {article[s["doc_id"]] for s in c["sources"]}
                & {article[s["doc_id"]] for s in c["contradicting"]}]
        print(f"  {name}: contradicted {len(contra)}/{len(rows)} = {len(contra) / max(len(rows), 1):.1%} "
              f"(false-contradiction rate); of claims compared across >= 2 documents: "
              f"{len(contra)}/{len(compared)} = {len(contra) / max(len(compared), 1):.1%}; "
              f"contradicted between translations of one article: {len(same)}")
        corroborated = sum(c["status"] == "corroborated" for c in rows)
        print(f"    corroborated {corroborated}, single-source {sum(c['status'] == 'single-source' for c in rows)}")
    for kind in ("quantity", "event", "statement"):  # event level, per claim kind
        rows = [c for c in events if c.get("kind", "quantity") == kind]
        contra = [c for c in rows if c["status"] == "contradicted"]
        compared = [c for c in rows if len({s["doc_id"] for s in c["sources"] + c["contradicting"]}) >= 2
                    or c["status"] == "contradicted"]
        print(f"  {kind} claims (event level): {len(rows)}, contradicted {len(contra)} "
              f"({len(contra) / max(len(rows), 1):.1%}; of {len(compared)} compared across >= 2 documents: "
              f"{len(contra) / max(len(compared), 1):.1%}), corroborated "
              f"{sum(c['status'] == 'corroborated' for c in rows)}")
    print("  contradicted event claims (value: their words vs the contradicting words):")
    for c in [c for c in events if c["status"] == "contradicted"][:12]:
        mine = "; ".join(sorted({s["text"] for s in c["sources"]}))[:70]
        theirs = "; ".join(sorted({s["text"] for s in c["contradicting"]}))[:70]
        print(f"    {c['statement'][:60]!r}: {mine} VS {theirs}")
    per_lang = Counter(v["lang"] for v in docs.values())
    print(f"  documents by detected language: {dict(per_lang)}; framing rows: {len(framing)}; {seconds:.0f}s")


FACTS_AUDIT = ROOT / "benchmarks" / "claims_facts_audit.tsv"
FACTS_COLUMNS = ("corpus", "claim_id", "kind", "status", "sources", "contradicting", "statement",
                 "statement_right", "status_right", "sources_right")


def facts_audit(workdir: Path, n_docs: int, langs: list[str], n: int, show: bool) -> None:
    """``n`` event-level event and statement claims drawn at random (seed 11), half from the demo,
    half from NTREX, written with their ids, our English statement and counts (no source text) to
    ``FACTS_AUDIT``; judgements already there for the same claim ids are kept and their shares
    printed. ``show`` prints each claim's source and contradicting words for the judging reader."""
    import random

    import ntrex_corpus

    folder = workdir / "ntrex"
    for lang in langs:
        ntrex_corpus.write_folder(folder, [lang], limit=n_docs)
    drawn = []
    for name, path in (("demo", DEMO / "articles"), ("ntrex", folder)):
        _, claims, _, _ = analyse([str(path)], workdir / name)
        pool = sorted((c for c in claims if c["cluster_id"].startswith("ev-") and c.get("kind") in ("event", "statement")),
                      key=lambda c: c["claim_id"])
        drawn += [(name, c) for c in random.Random(11).sample(pool, min(n // 2, len(pool)))]
    old = {}
    if FACTS_AUDIT.is_file():
        rows = [ln.split("\t") for ln in FACTS_AUDIT.read_text(encoding="utf-8").splitlines()[1:] if ln.strip()]
        old = {r[1]: dict(zip(FACTS_COLUMNS, r)) for r in rows if len(r) == len(FACTS_COLUMNS)}
    lines = ["\t".join(FACTS_COLUMNS)]
    shares = defaultdict(lambda: [0, 0])
    for corpus, c in drawn:
        prev = old.get(c["claim_id"], {})
        judged = [prev.get(k, "") for k in FACTS_COLUMNS[-3:]]
        lines.append("\t".join([corpus, c["claim_id"], c["kind"], c["status"], str(len(c["sources"])),
                                str(len(c["contradicting"])), c["statement"].replace("\t", " ")] + judged))
        for k, v in zip(FACTS_COLUMNS[-3:], judged):
            if v in ("y", "n"):
                shares[(corpus, k)][0] += v == "y"
                shares[(corpus, k)][1] += 1
        if show:
            print(f"{corpus} {c['claim_id']} {c['kind']} {c['status']}: {c['statement']}")
            for key in ("sources", "contradicting"):
                for i in c[key]:
                    print(f"   {'+' if key == 'sources' else '-'} {i['publisher']} [{i['attributed_to']}] {i['text'][:220]}")
    FACTS_AUDIT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"facts audit: {len(drawn)} claims -> {FACTS_AUDIT.relative_to(ROOT)}")
    for (corpus, k), (ok, total) in sorted(shares.items()):
        print(f"  {corpus} {k}: {ok}/{total} = {ok / total:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("demo", "ntrex", "both", "facts-audit"), default="both")
    ap.add_argument("--audit", type=int, default=50, help="claims drawn for --part facts-audit")
    ap.add_argument("--show", action="store_true", help="print the drawn claims' words (for judging)")
    ap.add_argument("--docs", type=int, default=60, help="NTREX articles per language")
    ap.add_argument("--langs", default="eng,ind,arb,fra,spa", help="NTREX languages (file codes)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsloom-claims-") as tmp:
        if args.part in ("demo", "both"):
            print("== demo corpus")
            demo(Path(tmp) / "demo")
        if args.part in ("ntrex", "both"):
            print("== NTREX")
            ntrex(Path(tmp) / "ntrex", args.docs, args.langs.split(","))
        if args.part == "facts-audit":
            facts_audit(Path(tmp) / "facts", args.docs, args.langs.split(","), args.audit, args.show)


if __name__ == "__main__":
    main()
