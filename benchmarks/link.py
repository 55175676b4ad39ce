"""Entity linking benchmark: the project's golden cases, and cross-language id agreement on NTREX.

Run: .venv/bin/python benchmarks/link.py

1. Golden cases (tests/link/golden_link.yaml, written for the project): share of cases whose
   every constraint holds, and pairwise precision/recall/F1 over the mention pairs of each
   case (same label = same entity). Baselines in the same run: "surface" (the id is the
   case-folded mention text) and "lookup only" (exact knowledge-base / gazetteer lookup, the
   surface text otherwise: no skeletons, partial names, acronyms or clitic repair).
2. NTREX-128 test documents (../shared/data/ntrex; skipped when missing): each English
   document and its human translations (Indonesian, Malay, Arabic, French) are scanned for
   names of the knowledge base and the gazetteer's countries (no NER: a dictionary scan of
   1-5 word spans, capitalised ones in Latin script), linked, and the entity ids of the
   English document compared with those of its translation (Jaccard, micro over documents).
   The surface baseline compares the same spans' folded texts. The translation names the
   same entities, so higher is better; the scan finds only names the resources know, so this
   measures cross-language identity of known entities, not coverage.
"""

from __future__ import annotations

import re
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "link"))

from test_link_golden import CASES, build_doc

from newsloom.link.kb import KnowledgeBase
from newsloom.link.linker import Linker
from newsloom.link.places import gazetteer
from newsloom.link.translit import fold, has_arabic
from newsloom.models import Document, EntityMention

NTREX = ROOT.parent / "shared" / "data" / "ntrex"
LANGS = {"ind": "id", "msa": "ms", "arb": "ar", "fra": "fr"}


class LookupOnly(Linker):
    """Exact lookups only; anything else keeps its surface text as id."""

    def link(self, doc: Document) -> None:
        ms = [self._prepare(e) for e in doc.entities]
        lang = doc.lang if doc.lang and doc.lang != "und" else None
        for m in ms:
            hit = self._direct(m, lang, set()) if m.keys else None
            m.mention.entity_id, m.mention.name = (
                (hit[0], hit[1]) if hit else (surface_id(m.mention), m.mention.text)
            )


def surface_id(m: EntityMention) -> str:
    return f"{m.type.lower()}:{fold(m.text)}"


class Surface:
    def link(self, doc: Document) -> None:
        for m in doc.entities:
            m.entity_id, m.name = surface_id(m), m.text


def score_golden(linker) -> dict[str, float]:
    ok = tp = fp = fn = 0
    n_mentions = 0
    t0 = time.perf_counter()
    for case in CASES:
        labelled: list[tuple[str, str]] = []
        for spec in case["docs"]:
            doc, labels = build_doc(spec)
            linker.link(doc)
            labelled += [(lab, m.entity_id) for lab, m in zip(labels, doc.entities)]
        n_mentions += len(labelled)
        for (la, ia), (lb, ib) in combinations(labelled, 2):
            same_gold, same_sys = la == lb, ia == ib
            tp += same_gold and same_sys
            fp += same_sys and not same_gold
            fn += same_gold and not same_sys
        ok += _case_ok(case, labelled)
    dt = time.perf_counter() - t0
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "cases": ok / len(CASES) * 100,
        "P": p * 100,
        "R": r * 100,
        "F1": 2 * p * r / (p + r) * 100 if p + r else 0.0,
        "mentions/s": n_mentions / dt,
    }


def _case_ok(case: dict, labelled: list[tuple[str, str]]) -> bool:
    by: dict[str, set[str]] = {}
    for lab, eid in labelled:
        by.setdefault(lab, set()).add(eid)
    if any(len(v) != 1 for v in by.values()):
        return False
    flat = {k: next(iter(v)) for k, v in by.items()}
    if len(set(flat.values())) != len(flat):
        return False
    for lab, want in (case.get("ids") or {}).items():
        got = flat[lab]
        if not (got.startswith(want[:-1]) if want.endswith("*") else got == want):
            return False
    return True


_WORD = re.compile(r"[^\W\d_][\w'’\-\.]*[^\W_]|[^\W\d_]", re.UNICODE)


def scan(text: str, lang: str, kb: KnowledgeBase, linker: Linker) -> Document:
    """Mentions found by a dictionary scan: longest known 1-5 word span first, no overlaps."""
    doc = Document(source="ntrex", raw=text, text=text, lang=lang)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        found = None
        for n in range(min(5, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            span = text[start:end]
            if not has_arabic(span) and not span[:1].isupper():
                continue
            typ = _known_type(span, lang, kb, linker)
            if typ:
                found = (start, end, typ, n)
                break
        if found:
            start, end, typ, n = found
            doc.entities.append(EntityMention(start=start, end=end, text=text[start:end], type=typ))
            i += n
        else:
            i += 1
    return doc


def _known_type(span: str, lang: str, kb: KnowledgeBase, linker: Linker) -> str | None:
    key = fold(span)
    keys = [key, *linker._clitic_variants(key)]
    for k in keys:
        hits = kb.lookup(span if k == key else k, key=k)
        if hits:
            return hits[0].type
        places = [
            m for m in linker.places.lookup(span if k == key else k, lang, key=k) if m.place.kind == "country"
        ]
        if places and (places[0].source in ("alias", "name")):
            return "LOC"
    return None


def ntrex_agreement(linker: Linker, kb: KnowledgeBase) -> dict[str, tuple[float, float, int]] | None:
    base = NTREX / "NTREX-128"
    if not base.is_dir():
        return None
    doc_ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    split = dict(
        line.split("\t") for line in (NTREX / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:]
    )
    eng = (base / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()

    def docs_of(lines: list[str]) -> dict[str, str]:
        out: dict[str, list[str]] = {}
        for d, line in zip(doc_ids, lines):
            if split.get(d) == "test":
                out.setdefault(d, []).append(line)
        return {d: "\n".join(v) for d, v in out.items()}

    en_docs = docs_of(eng)
    surface = Surface()
    en_cache = {}
    for d, text in en_docs.items():
        doc = scan(text, "en", kb, linker)
        spans = [EntityMention(start=m.start, end=m.end, text=m.text, type=m.type) for m in doc.entities]
        linker.link(doc)
        sdoc = Document(source="ntrex", raw=text, text=text, lang="en")
        sdoc.entities = spans
        surface.link(sdoc)
        en_cache[d] = ({m.entity_id for m in doc.entities}, {m.entity_id for m in sdoc.entities})
    out = {}
    for code, lang in LANGS.items():
        lines = (base / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").splitlines()
        inter = union = s_inter = s_union = 0
        for d, text in docs_of(lines).items():
            doc = scan(text, lang, kb, linker)
            spans = [EntityMention(start=m.start, end=m.end, text=m.text, type=m.type) for m in doc.entities]
            linker.link(doc)
            sdoc = Document(source="ntrex", raw=text, text=text, lang=lang)
            sdoc.entities = spans
            surface.link(sdoc)
            ours, theirs = {m.entity_id for m in doc.entities}, {m.entity_id for m in sdoc.entities}
            en_ours, en_surface = en_cache[d]
            inter += len(ours & en_ours)
            union += len(ours | en_ours)
            s_inter += len(theirs & en_surface)
            s_union += len(theirs | en_surface)
        out[lang] = (
            inter / union * 100 if union else 0.0,
            s_inter / s_union * 100 if s_union else 0.0,
            union,
        )
    return out


def main() -> None:
    t0 = time.perf_counter()
    kb = KnowledgeBase.load()
    places = gazetteer()
    ours = Linker(kb, places)
    setup = time.perf_counter() - t0
    rows = {
        "newsloom": score_golden(ours),
        "lookup only": score_golden(LookupOnly(kb, places)),
        "surface": score_golden(Surface()),
    }
    print(f"Golden linking cases: {len(CASES)} cases (setup {setup:.1f}s: knowledge base + cached gazetteer)")
    print(f"| {'':12} | cases passed % | pair P | pair R | pair F1 | mentions/s |")
    print("|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(
            f"| {name:12} | {r['cases']:.1f} | {r['P']:.1f} | {r['R']:.1f} | {r['F1']:.1f} | {r['mentions/s']:,.0f} |"
        )
    agree = ntrex_agreement(ours, kb)
    if agree is None:
        print("\nNTREX agreement: skipped (../shared/data/ntrex not found)")
        return
    print("\nNTREX-128 test documents (83): entity ids shared by the English original and its translation")
    print("| translation | newsloom Jaccard % | surface Jaccard % | ids (union, newsloom) |")
    print("|---|---|---|---|")
    for lang, (j, s, n) in agree.items():
        print(f"| {lang} | {j:.1f} | {s:.1f} | {n} |")


if __name__ == "__main__":
    main()
