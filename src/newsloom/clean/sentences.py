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
    max_length: int = 0  # of any abbreviation or prefix: longer words are none (casefold never shortens)

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
            max_length=max(map(len, exact | folded | p_exact | p_folded), default=0),
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


def _is_uncased_letter(ch: str) -> bool:
    return ch.isalpha() and ch.lower() == ch.upper()


_NON_SPACE_RUN = re.compile(r"\S*")
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")  # with endpos: the last space before it (each run read once)
_OPENER_RUN = re.compile("[" + re.escape(_OPENERS) + "]*")
_ALTERNATION = re.compile(rf"(?:{_LETTER}\.)*{_LETTER}?")  # the longest "U.S.A" prefix: letters and stops alternating


class _Token:
    """The whitespace-delimited token holding a stop, with what ``_glued_at`` asks of it.

    Every question is answered from facts computed once per token (linear in its length),
    never by copying or rescanning the token for each stop in it: "A.A.A...." is one token
    with a stop every two characters, and rescanning it made the repair quadratic.
    """

    __slots__ = ("alternation_end", "end", "first_mark_end", "last_mark_start", "start", "word_start")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.word_start = _OPENER_RUN.match(text, start, end).end()  # the token without its opening quotes
        found = [(i, i + len(mark)) for mark in _URL_MARKS if (i := text.find(mark, start, end)) >= 0]
        self.first_mark_end = min((e for _, e in found), default=end + 1)
        self.last_mark_start = max((text.rfind(mark, start, end) for mark in _URL_MARKS), default=-1)
        self.alternation_end = _ALTERNATION.match(text, self.word_start, end).end()


class _Tokens:
    """Finds the token of each stop, for stops visited left to right (each character is scanned once)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.current: _Token | None = None
        self.scanned_to = 0  # no token starts before this once a token has been found

    def at(self, pos: int) -> _Token:
        tok = self.current
        if tok is not None and tok.start <= pos < tok.end:
            return tok
        m = _LAST_SPACE.search(self.text, self.scanned_to, pos)
        start = m.end() if m else self.scanned_to
        end = _NON_SPACE_RUN.match(self.text, pos).end()
        self.current = tok = _Token(self.text, start, end)
        self.scanned_to = end
        return tok


def _glued_at(
    text: str, stop_start: int, stop_end: int, rules: AbbreviationRules, tokens: _Tokens
) -> int | None:
    """Where to insert a space after the stop text[stop_start:stop_end], or None when it is not glued.

    "Left" is the token before the stop without its opening quotes ("(Dr" -> "Dr"), "right" the
    rest of the token from the letter after the stop. Work is bounded by the words next to the
    stop (and the token facts computed once): never by the whole token.
    """
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
    tok = tokens.at(stop_start)
    left_start = min(tok.word_start, stop_start)
    if tok.first_mark_end <= stop_start or tok.last_mark_start >= start:
        return None  # a URL mark on either side: "example.com/News", "a@Mail.Com"
    if text[left_start : min(left_start + 3, stop_start)].lower().startswith("www"):
        return None
    right_end = start
    while right_end < tok.end and text[right_end].isalpha():
        right_end += 1
    right_word = text[start:right_end]
    after_word = text[right_end : right_end + 1]
    first = text[start]
    if first.isupper():
        if len(right_word) >= 2 and right_word[1].islower():
            pass  # "The", "Menteri": a capitalised word
        elif len(right_word) == 1 and (not after_word or after_word.isspace()):
            pass  # "A", "I"
        elif (
            right_word.isupper()
            and after_word.isspace()
            and stop_start - left_start >= 3
            and left.islower()
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
        word_end = stop_start  # the word before the stop, without its closing quotes and brackets
        while word_end > left_start and text[word_end - 1] in _CLOSERS:
            word_end -= 1
        length = word_end - left_start
        if length % 2 == 1 and word_end <= tok.alternation_end:
            return None  # initials: "U.S.", "J.K."
        if length <= rules.max_length and rules.is_abbreviation(text[left_start:word_end]):
            return None  # "Dr.", "e.g."
        if (
            right_word.casefold() in rules.domain_suffixes
            and not after_word.isalpha()
            and not after_word.isspace()
        ):
            return None  # "Tempo.Co," / "Kompas.Com"
    return cut


def repair_glued(text: str, rules: AbbreviationRules) -> tuple[str, int]:
    """The text with a space put back between glued sentences, and how many were repaired.

    Linear in the length of the text: each stop is judged from its neighbouring words and
    from facts about its token that are computed once (see ``_Token``).
    """
    tokens = _Tokens(text)
    cuts = [
        cut
        for m in _STOPS.finditer(text)
        if (cut := _glued_at(text, m.start(), m.end(), rules, tokens)) is not None
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
    found: list[tuple[int, int]] = []
    for w_start, w_end in _windows(text, start, end):
        for b in sentencex.get_sentence_boundaries(lang, text[w_start:w_end]):
            if b.get("is_paragraph_break"):
                continue
            s, e = _trimmed(text, w_start + b["start_index"], w_start + b["end_index"])
            if e > s:
                found.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged:
            ps, pe = merged[-1]
            if _ends_with_name_prefix(text, ps, pe, rules):
                merged[-1] = (ps, e)  # "Jl. | Sudirman": the segmenter broke after a title
                continue
        merged.append((s, e))
    return merged


# sentencex's work grows with the square of the quotes and brackets a paragraph opens
# ("([{«“" * 100,000: 2 s for 250 KB, 4x for each doubling); longer paragraphs go to it in
# windows of at most this many characters, cut after a sentence stop where there is one.
SEGMENT_MAX_CHARS = 10_000
_STOP_THEN_SPACE = re.compile(r"[.!?\u061f\u06d4\u3002][\"'\u201d\u2019\u00bb)\]]*\s+")


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] in windows of at most ``SEGMENT_MAX_CHARS``: each cut after the last
    sentence stop and space in the second half of the window that a capital or an uncased
    letter follows, else after its last space, else at its end."""
    out = []
    while end - start > SEGMENT_MAX_CHARS:
        lo, hi = start + SEGMENT_MAX_CHARS // 2, start + SEGMENT_MAX_CHARS
        cut = None
        for m in _STOP_THEN_SPACE.finditer(text, lo, hi):
            nxt = text[m.end() : m.end() + 1]
            if m.end() < hi and (nxt.isupper() or _is_uncased_letter(nxt) or nxt in _OPENERS):
                cut = m.end()
        if cut is None:
            space = text.rfind(" ", lo, hi)
            cut = space + 1 if space > lo else hi
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _ends_with_name_prefix(text: str, start: int, end: int, rules: AbbreviationRules) -> bool:
    """Whether text[start:end] ends with a title and its stop ("... Jl.").

    The same as ``rules.is_name_prefix(_token_before(text[start:end], end - start - 1))``
    without copying the sentence, which grows with every merge ("Jl. Jl. Jl. ..." made the
    merging quadratic): only the last ``rules.max_length`` characters of the token before the
    stop are read, and the opening quotes before them when the token is longer.
    """
    if end <= start or text[end - 1] != ".":
        return False
    stop = end - 1
    word_start = stop
    while word_start > start and not text[word_start - 1].isspace() and stop - word_start <= rules.max_length:
        word_start -= 1
    token_start = word_start
    if token_start > start and not text[token_start - 1].isspace():
        # a token longer than any title: it is one only when what lies before is opening quotes
        while token_start > start and text[token_start - 1] in _OPENERS:
            token_start -= 1
        if token_start > start and not text[token_start - 1].isspace():
            return False
    return rules.is_name_prefix(text[token_start:stop].lstrip(_OPENERS))


def primary_code(lang: str | None) -> str | None:
    """"en-GB" / "pt_BR" -> "en" / "pt": data files and sentencex use the primary code; "und" is none."""
    code = (lang or "").lower().replace("_", "-").split("-")[0]
    return code if code and code != "und" else None


class ParagraphSplit(DocStage):
    """Mark the paragraphs of the cleaned text (blocks between blank lines, or lines): the units
    the language is identified on, before sentences are split in that language."""

    name = "paragraphs"
    requires = ("text",)
    provides = ("paragraphs",)

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            text = doc.text
            doc.paragraphs = [Paragraph(start=s, end=e, text=text[s:e]) for s, e in paragraph_spans(text)]
            self.stats["paragraphs"] += len(doc.paragraphs)
        return docs


class SentenceSplit(DocStage):
    """Repair glued sentences and split sentences, each paragraph in its own language.

    Runs after the ``langid`` stage: a paragraph's language (else the document's, else its hint)
    chooses the abbreviation data of the repair and sentencex's rules. A repair only inserts
    spaces inside paragraphs, so the paragraphs keep their languages and get their new offsets.
    A document without paragraphs (the stage used on its own) is split into them here.
    """

    name = "sentences"
    requires = ("text", "paragraphs", "lang")
    provides = ("text", "paragraphs", "sentences")

    def process(self, docs: list[Document]) -> list[Document]:
        repair = self.config.clean.split_glued_sentences
        for doc in docs:
            doc_lang = primary_code(doc.lang) or primary_code(doc.lang_hint)
            old = doc.text
            paras = doc.paragraphs or [Paragraph(start=s, end=e, text=old[s:e]) for s, e in paragraph_spans(old)]
            parts: list[str] = []
            pos = 0  # in the old text
            new_len = 0
            doc.paragraphs = []
            repaired_doc = 0
            langs = []
            for p in paras:
                lang = primary_code(p.lang) or doc_lang
                ptext = old[p.start:p.end]
                if repair:
                    ptext, repaired = repair_glued(ptext, rules_for(lang))
                    repaired_doc += repaired
                gap = old[pos:p.start]
                parts += [gap, ptext]
                start = new_len + len(gap)
                new_len = start + len(ptext)
                pos = p.end
                doc.paragraphs.append(Paragraph(start=start, end=new_len, text=ptext, lang=p.lang,
                                                lang_score=p.lang_score))
                langs.append(lang)
            parts.append(old[pos:])
            text = "".join(parts) if repaired_doc else old
            if repaired_doc:
                self.stats["glued_repaired"] += repaired_doc
                self.stats["docs_with_glued"] += 1
                doc.text = text
            doc.sentences = []
            for p, lang in zip(doc.paragraphs, langs):
                for s, e in sentence_spans(text, p.start, p.end, lang or GENERIC_LANG, rules_for(lang)):
                    doc.sentences.append(Span(start=s, end=e, text=text[s:e]))
            self.stats["sentences"] += len(doc.sentences)
        return docs
