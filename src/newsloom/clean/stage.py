"""The plain-text cleaning stage: scraped text in, the article's own paragraphs out.

``clean_text`` is the core (a pure function, used by the stage and by
``benchmarks/cleaning.py``); ``PlainTextClean`` runs it on every plain-text document of a
batch and fills the metadata the reader did not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from newsloom.clean.header import Header, date_line, extract_header
from newsloom.clean.lines import (
    CLOSERS,
    LENGTH_LOW,
    STERM,
    STOPWORDS_LOW,
    CleanData,
    Line,
    classify,
    drop_author_bios,
    is_link_line,
    keep_spans,
    normalise_line,
    pattern_reason,
    select_spans,
    split_trailing_tag,
    words_of,
)
from newsloom.models import Document, Removed
from newsloom.stages.base import DocStage

# control characters other than tab/newline: what is left of binary junk after decoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]+")
# a comment section or a related-links block needs this much article text before it,
# so that a "Comments" heading at the top of a page does not swallow the article
MIN_CHARS_BEFORE_TAIL = 300
# outside the main span, a block of text is kept when it is worth this share of the span
OUTSIDE_KEEP_SHARE = 0.5
TIMESTAMP_MAX_CHARS = 60
REPEATED_MAX_CHARS = 150
LEAD_WINDOW = 4  # lines under a repeated headline searched for its standfirst
LEAD_MIN_CHARS = 100  # a standfirst without a full stop must be at least this long
TAIL_PROSE_MIN_CHARS = 120  # a related-links block ends at the first sentence this long
_ENDS_SENTENCE = regex.compile(rf"[{STERM}][{CLOSERS}]?\s*$")
# when cleaning would leave less text than this, the prose-like lines come back (a one-sentence
# brief, an RSS summary: nothing anchors an article span there)
RESCUE_BELOW_CHARS = 20
RESCUE_MIN_WORDS = 4  # a rescued line has at least this many words ...
RESCUE_MIN_CHARS = 30  # ... or this many characters (in scripts written without spaces)
RESCUE_LONG_CHARS = 150  # a line this long (Han counting 3) is prose even without punctuation
# reasons that say only "not the article" (no pattern matched the line): a rescue may undo them
SOFT_REASONS = frozenset(
    {
        "boilerplate",
        "outside-main",
        "after-article",
        "header:title",
        "repeated-title",
        "repeated-line",
        "menu",
    }
)


@dataclass(slots=True)
class CleanResult:
    """The cleaned text of one document and everything that was cut from it."""

    text: str
    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    header: Header = field(default_factory=Header)


_GAP = re.compile(r"\S(?: {2,}|\t)\S")


def split_lines(raw: str, data: CleanData | None = None) -> list[Line]:
    """Non-empty, whitespace-normalised lines of a raw text; a source tag or end mark after a
    line's last sentence becomes a line of its own, dropped as "source-tag" (not when a
    clutter pattern of ``data`` takes the whole line: a caption ending with its credit)."""
    out: list[Line] = []
    for i, line in enumerate(_CONTROL.sub(" ", raw).splitlines()):
        text = normalise_line(line)
        if not text:
            continue
        head, tag = split_trailing_tag(text)
        whole = Line(index=i, text=text, words=words_of(text), gapped=bool(_GAP.search(line)))
        if tag is None or (data is not None and pattern_reason(whole, data) is not None):
            out.append(whole)
            continue
        out.append(Line(index=i, text=head, words=words_of(head), gapped=whole.gapped))
        out.append(Line(index=i, text=tag, words=words_of(tag)))
        out[-1].drop("source-tag")
    return out


def _mark_header(lines: list[Line], head: Header, drop_repeated_title: bool) -> None:
    if head.title_line is not None:
        lines[head.title_line].drop("header:title")
    if head.date_line is not None:
        lines[head.date_line].drop("header:dateline")
    if head.byline_line is not None:
        lines[head.byline_line].drop("header:byline")
    if drop_repeated_title:
        for i in head.repeated_title_lines:
            if lines[i].reason is None:
                lines[i].drop("repeated-title")


def _mark_timestamps(lines: list[Line], data: CleanData) -> None:
    """A line that is nothing but a date and time ("17 April 2012 • 2:54pm") is page furniture."""
    for ln in lines:
        if ln.kept and ln.chars <= TIMESTAMP_MAX_CHARS and date_line(ln.text, data, search=False) is not None:
            ln.drop("timestamp")


def _ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))


def _mark_repeated(lines: list[Line]) -> None:
    """A short line that occurs more than once in the page is a teaser or a label, not text."""
    seen: dict[str, int] = {}
    for ln in lines:
        key = ln.text.casefold()
        seen[key] = seen.get(key, 0) + 1
    for ln in lines:
        if (
            ln.kept
            and not _ends_sentence(ln.text)
            and ln.chars < REPEATED_MAX_CHARS
            and seen[ln.text.casefold()] > 1
        ):
            ln.drop("repeated-line", hard=False)


def _keep_lead(lines: list[Line], head: Header) -> None:
    """The standfirst under the article's own headline is text, even when a byline, a date
    and a photo credit stand between it and the body."""
    for r in head.repeated_title_lines:
        for ln in lines[r + 1 : r + 1 + LEAD_WINDOW]:
            if ln.kept:
                break
            if ln.hard or ln.reason not in ("boilerplate", "outside-main", "repeated-line"):
                continue
            if ln.stop_density >= STOPWORDS_LOW and (
                (ln.sentence and ln.chars >= LENGTH_LOW) or ln.chars >= LEAD_MIN_CHARS
            ):
                ln.reason, ln.cls = None, "good"
                break


def _is_prose(ln: Line) -> bool:
    """A line that reads as running text: a sentence of some length, dense in stop words,
    not cut by a pattern. Teaser headlines after a related-links heading are not."""
    return (
        (ln.kept or not ln.hard)
        and ln.sentence
        and ln.chars >= TAIL_PROSE_MIN_CHARS
        and ln.stop_density >= STOPWORDS_LOW
    )


def _mark_tail(lines: list[Line], data: CleanData) -> None:
    """After a comment-section heading, the rest is comments; after a related-links heading,
    the teasers that follow it (up to the next good paragraph) go too."""
    kept_chars = 0
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kept and ln.cls == "good":
            kept_chars += ln.chars
        if kept_chars >= MIN_CHARS_BEFORE_TAIL and len(ln.words) <= 8:
            if data.comment_heads and data.comment_heads.search(ln.text):
                for rest in lines[i:]:
                    if rest.kept or rest.reason == "boilerplate":
                        rest.drop("comments")
                return
            if data.tail_heads and data.tail_heads.search(ln.text):
                if ln.kept:
                    ln.drop("read-also")
                j = i + 1
                while j < len(lines) and not _is_prose(lines[j]):
                    if lines[j].kept:
                        lines[j].drop("related-links")
                    j += 1
                i = j
                continue
        i += 1


def clean_text(raw: str, data: CleanData, drop_repeated_title: bool = True) -> CleanResult:
    """Clean one scraped plain text: keep the article's paragraphs, record every cut line."""
    lines = split_lines(raw, data)
    head = extract_header([ln.text for ln in lines], data, gapped=[ln.gapped for ln in lines])
    _mark_header(lines, head, drop_repeated_title)
    _mark_timestamps(lines, data)
    _mark_repeated(lines)
    classify(lines, data)
    _mark_tail(lines, data)
    keep_spans(lines, select_spans(lines, OUTSIDE_KEEP_SHARE))
    drop_author_bios(lines)
    _keep_lead(lines, head)
    if sum(len(ln.text) for ln in lines if ln.kept) < RESCUE_BELOW_CHARS:
        rescue_prose(lines)
    paragraphs = [ln.text for ln in lines if ln.kept]
    removed = [Removed(text=ln.text, reason=ln.reason) for ln in lines if ln.reason is not None]
    return CleanResult(text="\n\n".join(paragraphs), paragraphs=paragraphs, removed=removed, header=head)


def prose_like(ln: Line) -> bool:
    """A line that reads as a sentence of prose: sentence punctuation (or a script without
    it), or a run of words dense in stop words; long enough; not a link."""
    if len(ln.words) < RESCUE_MIN_WORDS and len(ln.text) < RESCUE_MIN_CHARS:
        return False
    if is_link_line(ln):
        return False
    return (
        ln.sentence
        or ln.chars >= RESCUE_LONG_CHARS
        or (len(ln.words) >= 2 * RESCUE_MIN_WORDS and ln.stop_density >= STOPWORDS_LOW)
    )


def rescue_prose(lines: list[Line]) -> None:
    """Nothing (or almost nothing) would be left: a short text, a brief, a summary has no
    paragraph long enough to anchor an article span. Its prose-like lines come back, unless
    a pattern cut them (a share bar, a comment form); the title line too when it is the
    text's only sentence (it is then both the title and the text)."""
    soft = [ln for ln in lines if ln.reason in SOFT_REASONS and prose_like(ln)]
    body = [ln for ln in soft if ln.reason != "header:title"]
    for ln in body or soft:
        ln.reason, ln.cls, ln.hard = None, "good", False


class PlainTextClean(DocStage):
    """Cut share buttons, comment forms, menus, spam and other clutter from plain-text documents."""

    name = "clean"
    requires = ("raw",)
    provides = ("text", "removed", "title", "publisher", "published", "published_from", "author")

    def setup(self) -> None:
        self.data = CleanData.load()

    def process(self, docs: list[Document]) -> list[Document]:
        min_chars = self.config.ingest.min_text_chars
        for doc in docs:
            if doc.format != "text":
                continue
            try:
                result = clean_text(doc.raw, self.data, self.config.clean.drop_repeated_title)
            except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
                doc.rejected = f"cleaning failed: {type(exc).__name__}: {exc}"
                self.stats["rejected_error"] += 1
                continue
            doc.text = result.text
            doc.removed = result.removed
            for r in result.removed:
                self.stats[f"removed_{r.reason}"] += 1
            head = result.header
            if doc.title is None and head.title:
                doc.title = head.title
                self.stats["title_from_text"] += 1
            if doc.publisher is None and head.publisher:
                doc.publisher = head.publisher
                self.stats["publisher_from_text"] += 1
            if doc.author is None and head.author:
                doc.author = head.author
                self.stats["author_from_text"] += 1
            if doc.published is None and head.published:
                doc.published = head.published
                doc.published_from = "text"
                self.stats["published_from_text"] += 1
            if len(doc.text) < min_chars:
                doc.rejected = f"no main text left after cleaning ({len(doc.text)} chars)"
                self.stats["dropped_no_main_text"] += 1
            else:
                self.stats["cleaned"] += 1
        return docs
