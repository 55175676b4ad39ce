"""Loaded terms per outlet: "assassination" where others write "killing", "regime" for "government".

The terms are data (``resources/lang/<iso>/framing.yaml``: neutral English counterpart -> loaded
terms as written in that language), matched as whole words, case-insensitively, in each
document's headline and cleaned text with its own language's list; a term ending in ``*`` matches any ending,
and Arabic terms may carry a clitic (``clitics``). Every document counts, copies included: a
republication is the outlet's own choice of words. A framing row is (publisher, lang, term):
how often the outlet used the term, with the documents it used it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from newsloom.models import Document
from newsloom.resources import lang_resource


@dataclass(slots=True, kw_only=True)
class TermHit:
    term: str  # as listed in the data file
    neutral: str
    start: int
    end: int


@dataclass(slots=True, kw_only=True)
class FramingRow:
    publisher: str | None
    lang: str | None
    term: str
    neutral: str
    count: int = 0
    doc_ids: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {"publisher": self.publisher, "lang": self.lang, "term": self.term, "neutral": self.neutral,
                "count": self.count, "doc_ids": list(self.doc_ids)}


class TermFinder:
    """One language's loaded terms, compiled into one pattern (longest term first)."""

    def __init__(self, lang: str | None) -> None:
        d = lang_resource(lang, "framing")
        self.neutral: dict[str, str] = {}
        alts = []
        for neutral, terms in (d.get("loaded") or {}).items():
            for term in terms if isinstance(terms, list) else [terms]:
                term = str(term)
                self.neutral.setdefault(term.casefold().rstrip("*"), str(neutral))
        keys = sorted(self.neutral, key=len, reverse=True)
        stars = {str(t).casefold().rstrip("*") for ts in (d.get("loaded") or {}).values() for t in ts
                 if str(t).endswith("*")}
        for k in keys:
            body = r"\s+".join(regex.escape(w) for w in k.split())
            alts.append(f"(?:{body}[\\p{{L}}\\p{{M}}]*)" if k in stars else f"(?:{body})")
        clitics = [regex.escape(str(c)) for c in sorted(d.get("clitics", []), key=len, reverse=True)]
        pre = f"(?:{'|'.join(clitics)})?" if clitics else ""
        self.pattern = (
            regex.compile(rf"(?<![\p{{L}}\p{{M}}]){pre}(?P<t>{'|'.join(alts)})(?![\p{{L}}\p{{M}}])", regex.IGNORECASE)
            if alts else None
        )
        self._stars = sorted(stars, key=len, reverse=True)

    def find(self, text: str) -> list[TermHit]:
        if self.pattern is None or not text:
            return []
        out = []
        for m in self.pattern.finditer(text):
            key = regex.sub(r"\s+", " ", m.group("t").casefold())
            if key not in self.neutral:
                key = next((s for s in self._stars if key.startswith(s)), key)
            neutral = self.neutral.get(key)
            if neutral is not None:
                out.append(TermHit(term=key, neutral=neutral, start=m.start("t"), end=m.end("t")))
        return out


@cache
def term_finder(lang: str | None) -> TermFinder:
    return TermFinder(lang)


def document_terms(doc: Document) -> list[TermHit]:
    """The loaded terms of one document's headline and text, in its own language's list (offsets of
    headline hits are into the title)."""
    finder = term_finder(doc.lang)
    return finder.find(doc.title or "") + finder.find(doc.text)


def framing_rows(docs: list[Document], existing: list[dict[str, Any]] | None = None) -> list[FramingRow]:
    """Framing rows of the outlets of ``docs``: the ``existing`` rows (of those outlets) plus every use
    of a loaded term in ``docs``. ``count`` is the number of uses; a document already listed in a row
    (counted by an earlier run) is not counted again."""
    rows: dict[tuple[str | None, str | None, str], FramingRow] = {}
    counted: dict[tuple[str | None, str | None, str], set[str]] = {}
    for r in existing or []:
        if r["term"] not in term_finder(r["lang"]).neutral:
            continue  # a term taken off the language's list since
        key = (r["publisher"], r["lang"], r["term"])
        rows[key] = FramingRow(publisher=r["publisher"], lang=r["lang"], term=r["term"], neutral=r["neutral"],
                               count=int(r["count"] or 0), doc_ids=list(r["doc_ids"] or []))
        counted[key] = set(rows[key].doc_ids)
    for doc in sorted(docs, key=lambda d: ((d.published or ""), d.doc_id)):
        for hit in document_terms(doc):
            key = (doc.publisher, doc.lang, hit.term)
            if doc.doc_id in counted.get(key, ()):
                continue
            row = rows.setdefault(key, FramingRow(publisher=doc.publisher, lang=doc.lang, term=hit.term,
                                                  neutral=hit.neutral))
            row.count += 1
            if doc.doc_id not in row.doc_ids:
                row.doc_ids.append(doc.doc_id)
    return sorted(rows.values(), key=lambda r: (r.publisher or "", r.lang or "", r.term))
