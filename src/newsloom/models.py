"""The one typed record that flows through newsloom, and its annotations.

Every annotation carries its provenance: ``start``/``end`` are Python string indices
(code points) into ``Document.text`` (the cleaned text), so ``doc.text[start:end]``
is always the words the fact came from. Stages add annotations; nothing downstream
reads a loose dictionary key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

SourceFormat = Literal["text", "html"]


@dataclass(slots=True, kw_only=True)
class Span:
    """A stretch of the cleaned text."""

    start: int
    end: int
    text: str


@dataclass(slots=True, kw_only=True)
class Removed:
    """A line or span cut from the raw text, and why."""

    text: str
    reason: str


@dataclass(slots=True, kw_only=True)
class Paragraph(Span):
    """A paragraph of the cleaned text with its own language label."""

    lang: str | None = None
    lang_score: float = 0.0


@dataclass(slots=True, kw_only=True)
class EntityMention(Span):
    type: Literal["PER", "ORG", "LOC", "MISC"]
    entity_id: str | None = None
    name: str | None = None


@dataclass(slots=True, kw_only=True)
class DateMention(Span):
    value: str


@dataclass(slots=True, kw_only=True)
class Quantity(Span):
    value: float
    unit: str | None = None
    kind: str = "other"
    qualifier: str | None = None  # about / at_least / more_than / less_than / up_to, kept outside the span
    role: str | None = None  # from / to (a change), min / max (a range), else None


@dataclass(slots=True, kw_only=True)
class EventMention(Span):
    event_mention_id: str
    type: str
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    date: str | None = None
    quantities: list[tuple[int, int]] = field(default_factory=list)
    trigger_start: int = 0  # the words that say what happened (the span itself is the sentence)
    trigger_end: int = 0
    mode: Literal["asserted", "planned", "demanded", "denied", "hypothetical"] = "asserted"
    negated: bool = False
    actor_country: str | None = None  # ISO 3166 alpha-3
    target_country: str | None = None
    event_id: str | None = None  # the clusters of its document (filled by the whole-corpus passes)
    story_id: str | None = None


@dataclass(slots=True, kw_only=True)
class Document:
    """One article, from the raw bytes a reader decoded to every fact found in it."""

    source: str
    raw: str
    format: SourceFormat = "text"
    doc_id: str = ""
    # metadata, given by the input or extracted from it
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    # where an extracted publication date came from: "markup" (HTML metadata) or "text" (a dateline
    # in the text); None when the input gave it. The dates stage drops an extracted one that lies
    # years away from every date the text states.
    published_from: str | None = None
    author: str | None = None
    url: str | None = None
    lang_hint: str | None = None
    # cleaning
    text: str = ""
    removed: list[Removed] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    # language
    lang: str | None = None
    lang_score: float = 0.0
    mixed_lang: bool = False
    # later stages
    entities: list[EntityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # date expressions without a value: they need the publication date the document lacks
    # ("yesterday", "on Tuesday"); not exported, but their words are dates, not quantities
    unresolved_dates: list[Span] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    # the story vector (title and lead), an L2-normalised float32 numpy array
    embedding: Any = None
    embedding_key: str | None = None  # hash of the embedded text and encoder (the cache key)
    # whole-corpus passes
    duplicate_of: str | None = None
    event_id: str | None = None
    story_id: str | None = None
    # set by a stage that could not process this document (the batch goes on)
    rejected: str | None = None

    def __post_init__(self) -> None:
        if not self.doc_id:
            self.doc_id = content_id(self.title, self.raw)


@dataclass(slots=True, kw_only=True)
class Reject:
    """An input that could not be turned into a document, with the reason."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """The content key of a text: NFC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def content_id(title: str | None, body: str) -> str:
    """A stable document id derived from the normalised content (title and body)."""
    key = normalise_for_id(title or "") + "\n" + normalise_for_id(body)
    # surrogatepass: a lone surrogate (readers replace them; other callers may not) must not crash ids
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
