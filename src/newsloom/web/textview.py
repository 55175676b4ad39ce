"""A document's cleaned text cut into paragraphs and marked pieces, for the document page.

Annotations (entities, dates, quantities) may overlap and a claim highlight may cross them, so
the text is cut at every span boundary into atomic pieces, each carrying the set of marks that
cover it. Templates print each piece's text through Jinja's autoescape; no markup is built
from document text here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any


@dataclass(slots=True)
class Piece:
    text: str
    marks: list[dict[str, Any]] = field(default_factory=list)
    highlight: bool = False
    anchor: bool = False  # the first highlighted piece of the document: the #hl link target

    @property
    def classes(self) -> str:
        kinds = sorted({m["kind"] for m in self.marks})
        out = [f"ann-{k}" for k in kinds]
        out += [f"ent-{m['type']}" for m in self.marks if m["kind"] == "entity" and m.get("type")]
        if self.highlight:
            out.append("hl")
        return " ".join(out)

    @property
    def title(self) -> str:
        return "; ".join(m["label"] for m in self.marks)

    @property
    def entity_id(self) -> str | None:
        for m in self.marks:
            if m["kind"] == "entity" and m.get("entity_id"):
                return m["entity_id"]
        return None


@dataclass(slots=True)
class ParagraphView:
    start: int
    end: int
    lang: str | None
    dir: str
    pieces: list[Piece]
    highlighted: bool = False


@lru_cache(maxsize=512)
def text_direction(lang: str | None) -> str:
    """"rtl" or "ltr" from Babel's locale data when the language is known, else "auto"."""
    if not lang or lang in ("und", "zxx", "mul"):
        return "auto"
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        return "auto"
    try:
        return Locale.parse(lang.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError, TypeError):
        return "auto"


def _paragraph_ranges(text: str, paragraphs: list[dict[str, Any]], default_lang: str | None
                      ) -> list[tuple[int, int, str | None]]:
    ranges = []
    for p in paragraphs or []:
        s, e = int(p.get("start") or 0), int(p.get("end") or 0)
        if 0 <= s < e <= len(text):
            ranges.append((s, e, p.get("lang") or default_lang))
    if not ranges:
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                ranges.append((pos, pos + len(line), default_lang))
            pos += len(line) + 1
        return ranges
    ranges.sort()
    # text outside the stored paragraphs is shown too, as its own paragraph
    out, pos = [], 0
    for s, e, lang in ranges:
        if s < pos:
            s = pos
            if s >= e:
                continue
        if text[pos:s].strip():
            out.append((pos, s, default_lang))
        out.append((s, e, lang))
        pos = e
    if text[pos:].strip():
        out.append((pos, len(text), default_lang))
    return out


def marks_from_spans(spans: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    marks = []
    for m in spans.get("entities", []):
        label = f"{m.get('type')}: {m.get('name') or m.get('text')}"
        if m.get("entity_id"):
            label += f" ({m['entity_id']})"
        marks.append({"kind": "entity", "start": m["start"], "end": m["end"], "type": m.get("type"),
                      "entity_id": m.get("entity_id"), "label": label})
    for m in spans.get("dates", []):
        marks.append({"kind": "date", "start": m["start"], "end": m["end"], "label": f"date: {m.get('value')}"})
    for m in spans.get("quantities", []):
        unit = f" {m['unit']}" if m.get("unit") else ""
        marks.append({"kind": "quantity", "start": m["start"], "end": m["end"],
                      "label": f"quantity: {m.get('value'):g}{unit} ({m.get('kind')})"})
    return marks


def paragraphs(doc: dict[str, Any], spans: dict[str, list[dict[str, Any]]],
               highlight: tuple[int, int] | None = None) -> list[ParagraphView]:
    text = doc.get("text") or ""
    marks = [m for m in marks_from_spans(spans) if 0 <= m["start"] < m["end"] <= len(text)]
    if highlight and not (0 <= highlight[0] < highlight[1] <= len(text)):
        highlight = None
    out = []
    anchored = False
    for ps, pe, lang in _paragraph_ranges(text, doc.get("paragraphs") or [], doc.get("lang")):
        inside = [m for m in marks if m["start"] < pe and m["end"] > ps]
        cuts = {ps, pe}
        for m in inside:
            cuts.add(max(ps, m["start"]))
            cuts.add(min(pe, m["end"]))
        if highlight and highlight[0] < pe and highlight[1] > ps:
            cuts.add(max(ps, highlight[0]))
            cuts.add(min(pe, highlight[1]))
        points = sorted(cuts)
        pieces = []
        for a, b in pairwise(points):
            covering = [m for m in inside if m["start"] <= a and m["end"] >= b]
            hl = bool(highlight and highlight[0] <= a and highlight[1] >= b)
            pieces.append(Piece(text=text[a:b], marks=covering, highlight=hl, anchor=hl and not anchored))
            anchored = anchored or hl
        out.append(ParagraphView(start=ps, end=pe, lang=lang, dir=text_direction(lang), pieces=pieces,
                                 highlighted=any(p.highlight for p in pieces)))
    return out
