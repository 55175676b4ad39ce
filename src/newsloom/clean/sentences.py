"""Paragraphs and sentences, after repairing sentences glued together without a space.

Scraped text often loses the space between two paragraphs or sentences ("in Jakarta.The
minister said"). ``repair_glued`` puts it back, but only where the stop cannot be part of
a word: not in abbreviations and initials ("U.S.", "e.g.", "Dr.Smith"), decimals ("3.5"),
URLs, file names and domain names ("report.pdf", "Kompas.com", "Tempo.Co,"). Sentences are
then found with ``sentencex`` inside each paragraph, and a break it puts after a title such
as "Jl." or "Dr." is undone. Abbreviation lists are data: resources/lang/<iso>/abbreviations.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import sentencex

from newsloom.models import Document, Paragraph, Span
from newsloom.resources import all_languages_resource, lang_resource, languages
from newsloom.stages.base import DocStage

# sentencex falls back to its English rules for codes it does not know; their terminators
# cover other scripts too (؟ ۔ 。 ...), so the generic choice is English.
GENERIC_LANG = "en"

_STOPS = re.compile(r"[.!?\u061f\u06d4]+")  # . ! ? and the Arabic question mark and full stop
_CLOSERS = "\"'\u201d\u2019\u00bb)]"  # quotes and brackets that close a sentence before the next starts
_OPENERS = "\u201c\u2018\u00ab(\"'["  # quotes and brackets that open the next sentence
_LETTER = r"[^\W\d_]"
_INITIALS = re.compile(rf"(?:{_LETTER}\.)*{_LETTER}")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_URL_MARKS = ("/", "@", "://", "=", "&")


@dataclass(frozen=True, slots=True)
class AbbreviationRules:
    """The abbreviation data of one language (or of all languages together)."""

    exact: frozenset[str]
    folded: frozenset[str]
    prefixes_exact: frozenset[str]
    prefixes_folded: frozenset[str]
    domain_suffixes: frozenset[str]

    @classmethod
    def from_data(cls, data: dict) -> AbbreviationRules:
        def split(words: list[str]) -> tuple[frozenset[str], frozenset[str]]:
            exact = frozenset(w for w in words if w != w.lower())
            folded = frozenset(w.casefold() for w in words if w == w.lower())
            return exact, folded

        exact, folded = split(data.get("abbreviations", []))
        p_exact, p_folded = split(data.get("name_prefixes", []))
        return cls(
            exact=exact | p_exact,
            folded=folded | p_folded,
            prefixes_exact=p_exact,
            prefixes_folded=p_folded,
            domain_suffixes=frozenset(w.casefold() for w in data.get("domain_suffixes", [])),
        )

    def is_abbreviation(self, word: str) -> bool:
        return word in self.exact or word.casefold() in self.folded

    def is_name_prefix(self, word: str) -> bool:
        return word in self.prefixes_exact or word.casefold() in self.prefixes_folded


@cache
def rules_for(lang: str | None) -> AbbreviationRules:
    """The rules of a language, or the union over all languages when it is unknown."""
    if lang and lang in languages():
        return AbbreviationRules.from_data(lang_resource(lang, "abbreviations"))
    return AbbreviationRules.from_data(all_languages_resource("abbreviations"))


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


def _token_after(text: str, start: int) -> str:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _leading_word(token: str) -> str:
    end = 0
    while end < len(token) and token[end].isalpha():
        end += 1
    return token[:end]


def _is_uncased_letter(ch: str) -> bool:
    return ch.isalpha() and ch.lower() == ch.upper()


def _glued_at(text: str, stop_start: int, stop_end: int, rules: AbbreviationRules) -> int | None:
    """Where to insert a space after the stop text[stop_start:stop_end], or None when it is not glued."""
    if stop_start == 0:
        return None
    left = text[stop_start - 1]
    if not (left.isalnum() or left in _CLOSERS):
        return None
    cut = stop_end
    while cut < len(text) and text[cut] in _CLOSERS:
        cut += 1
    start = cut
    if start < len(text) and text[start] in _OPENERS:
        start += 1
    if start >= len(text) or not text[start].isalpha():
        return None  # a space, a digit ("3.5"), the end, or other punctuation
    right_token = _token_after(text, start)
    left_token = _token_before(text, stop_start)
    if any(mark in right_token or mark in left_token for mark in _URL_MARKS):
        return None
    if left_token.lower().startswith("www"):
        return None
    right_word = _leading_word(right_token)
    first = text[start]
    if first.isupper():
        after_word = text[start + len(right_word) : start + len(right_word) + 1]
        if len(right_word) >= 2 and right_word[1].islower():
            pass  # "The", "Menteri": a capitalised word
        elif len(right_word) == 1 and (not after_word or after_word.isspace()):
            pass  # "A", "I"
        elif (
            right_word.isupper()
            and after_word.isspace()
            and len(left_token) >= 3
            and left_token[-1].islower()
        ):
            pass  # "menyatakan.KPK juga": an acronym opening the next sentence
        else:
            return None
    elif _is_uncased_letter(first):
        if not (_is_uncased_letter(left) or left.isdigit() or left in _CLOSERS):
            return None
    else:
        return None  # lower case: a domain, a file name, an abbreviation in the middle of a word
    if text[stop_start:stop_end] == ".":
        word = left_token.rstrip(_CLOSERS)
        if _INITIALS.fullmatch(word) or rules.is_abbreviation(word):
            return None  # "U.S.", "J.K.", "Dr.", "e.g."
        after_word = text[start + len(right_word) : start + len(right_word) + 1]
        if (
            right_word.casefold() in rules.domain_suffixes
            and not after_word.isalpha()
            and not after_word.isspace()
        ):
            return None  # "Tempo.Co," / "Kompas.Com"
    return cut


def repair_glued(text: str, rules: AbbreviationRules) -> tuple[str, int]:
    """The text with a space put back between glued sentences, and how many were repaired."""
    cuts = [
        cut for m in _STOPS.finditer(text) if (cut := _glued_at(text, m.start(), m.end(), rules)) is not None
    ]
    if not cuts:
        return text, 0
    parts, last = [], 0
    for cut in cuts:
        parts.append(text[last:cut])
        last = cut
    parts.append(text[last:])
    return " ".join(parts), len(cuts)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines, or lines when there are none."""
    splitter = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for m in splitter.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        start, end = _trimmed(text, start, end)
        if end > start:
            out.append((start, end))
    return out


def sentence_spans(
    text: str, start: int, end: int, lang: str, rules: AbbreviationRules
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], in ``text``'s offsets."""
    chunk = text[start:end]
    found: list[tuple[int, int]] = []
    for b in sentencex.get_sentence_boundaries(lang, chunk):
        if b.get("is_paragraph_break"):
            continue
        s, e = _trimmed(text, start + b["start_index"], start + b["end_index"])
        if e > s:
            found.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged:
            ps, pe = merged[-1]
            prev = text[ps:pe]
            if prev.endswith(".") and rules.is_name_prefix(_token_before(prev, len(prev) - 1)):
                merged[-1] = (ps, e)  # "Jl. | Sudirman": the segmenter broke after a title
                continue
        merged.append((s, e))
    return merged


class SentenceSplit(DocStage):
    """Repair glued sentences, then mark paragraphs and sentences."""

    name = "sentences"
    requires = ("text",)
    provides = ("text", "paragraphs", "sentences")

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            # "en-GB" / "pt_BR" -> "en" / "pt": data files and sentencex use the primary code
            lang = (doc.lang or doc.lang_hint or "").lower().replace("_", "-").split("-")[0] or None
            rules = rules_for(lang)
            text = doc.text
            if self.config.clean.split_glued_sentences:
                text, repaired = repair_glued(text, rules)
                if repaired:
                    self.stats["glued_repaired"] += repaired
                    self.stats["docs_with_glued"] += 1
                    doc.text = text
            seg_lang = lang or GENERIC_LANG
            doc.paragraphs = []
            doc.sentences = []
            for p_start, p_end in paragraph_spans(text):
                doc.paragraphs.append(Paragraph(start=p_start, end=p_end, text=text[p_start:p_end]))
                for s, e in sentence_spans(text, p_start, p_end, seg_lang, rules):
                    doc.sentences.append(Span(start=s, end=e, text=text[s:e]))
            self.stats["sentences"] += len(doc.sentences)
        return docs
