"""Line classification for scraped plain text: which lines are the article, which are clutter.

Two kinds of evidence are combined:

* **patterns** from the language data files (``resources/lang/<iso>/clutter.yaml`` over
  ``_base``): share buttons, comment forms, newsletter calls, "read also" lines, photo
  credits, site furniture, cookie notices, advert markers. Every language's patterns are
  applied to every document, since the language is not known yet when cleaning runs.
* **structure**, language-blind, adapted from jusText (Pomikálek 2011) to plain-text lines:
  length, stop-word density (against the stop-word list that best fits the document, chosen
  among jusText's 100 lists), sentence punctuation, menu-likeness (runs of short lines without
  sentence punctuation, lines of section names), then jusText's context revision: a short line
  between good paragraphs is kept, a run of short lines between bad ones is dropped.
* **the article's span**: the stretch of lines with the most good text (a maximum-sum
  subarray where dropped lines cost a little) is the article; inside it, sentences that
  jusText dropped for want of good neighbours come back, and outside it only stretches
  worth a good share of it are kept (an author's bio or a teaser far from the article goes).
  Lines numbered in sequence are list items (content without sentence punctuation); plain
  phrases of prose words cost nothing; a span grows over whole sentences at its edges and
  loses what follows its last newsletter call or share bar when that is a small share of it.
* **author boxes**: a name on a line of its own, then a lone paragraph opening with that
  name, is the author's bio.

Every dropped line keeps the reason code it was dropped for (see ``REASONS``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from newsloom.resources import BASE, all_languages_resource, languages, raw_file

# pattern category in clutter.yaml -> reason code recorded on the removed line
REASONS: dict[str, str] = {
    "share": "share-buttons",
    "comment": "comment-form",
    "newsletter": "newsletter",
    "read_also": "read-also",
    "image_credit": "image-credit",
    "cookie": "cookie-notice",
    "advert": "advertisement",
    "furniture": "site-furniture",
}
# a pattern only removes a line up to this many words: a long sentence that happens to
# contain "comment" or "subscribe" is content, not a button
MAX_WORDS: dict[str, int] = {
    "share": 14,
    "comment": 30,
    "newsletter": 40,
    "read_also": 40,
    "image_credit": 20,
    "cookie": 80,
    "advert": 10,
    "furniture": 25,
}

PATTERN_MAX_CHARS = 1000  # no clutter line is longer; longer lines skip the pattern pass

# jusText's defaults (length in characters, stop-word density as a share of words)
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
# a document whose words match no stop-word list this well is in a script jusText lacks
# (or is not prose): sentence punctuation stands in for stop-word density there
MIN_STOPLIST_COVERAGE = 0.12
PROSE_MIN_WORDS = 8  # lines this long choose the stop-word lists
STOPLIST_CANDIDATES = 2  # a line's stop-word density is its best over this many lists
MENU_MAX_WORDS = 4  # a menu item has at most this many words
MENU_MIN_RUN = 3  # this many menu-like lines in a row are a menu
SPAM_MAX_WORDS = 20
SPAM_MIN_SHARE = 0.3  # share of a spam line's words that are spam terms
MAX_HEADING_DISTANCE = 200  # characters between a heading and the good paragraph it announces

# a word: letters and digits with their combining marks (Devanagari vowel signs, Thai
# tone marks, Arabic harakat are part of the word, not breaks in it)
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*")
# sentence-final punctuation of every script, from Unicode's Sentence_Terminal property
# (. ! ? ۔ ؟ । ॥ ။ ። ։ 。 ។ ...), plus the ellipsis and the Tibetan shad, which Unicode
# leaves out of it
STERM = r"\p{Sentence_Terminal}…།༎"
# what may close a sentence after its punctuation: closing brackets and quotes of every script
# () ] 」 』 ） » ” ’ ...)
CLOSERS = r"\p{Pe}\p{Pf}\"'"
_SENT_END = regex.compile(rf"[{STERM}{CLOSERS}]\s*$")
_SENT_PUNCT = regex.compile(rf"[{STERM}]")
# scripts written without sentence punctuation (a space or nothing ends a sentence): there a
# long enough line reads as prose without it
_UNPUNCTUATED = regex.compile(r"[\p{Thai}\p{Lao}]")
UNPUNCTUATED_MIN_SHARE = 0.5  # share of a line's letters in such a script
UNPUNCTUATED_SENTENCE_CHARS = 40  # a line that long in such a script is a sentence
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WS = re.compile(r"\s+")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_CAP = re.compile(r"^[^\W\d_]")


# a source tag or end mark after a line's last sentence ("... semalam. - Agensi",
# "... on Tuesday. (AFP)", "... jembatan (*1)"): split off, so that it goes and the
# sentence stays. Bracketed: at most 30 characters; after a dash: up to three capitalised
# words; a credit after "©": at most 40; a starred mark ("(*)", "(*1)"): after any text.
_TRAILING_TAG = regex.compile(
    rf"(?:(?<=[{STERM}][{CLOSERS}]?)\s+(?P<tag>[\(\[][^()\[\]]{{1,30}}[\)\]]"
    r"|[-–—]{1,2}\s*\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2}|©\s*[^©]{2,40})"
    r"|(?<=\p{L}.{0,2})\s*(?P<mark>[\(\[]\*[^\p{L}()\[\]]{0,5}[\)\]]))\s*$"
)
# a line that is nothing but such a tag: "(Reuters)", "[Bernama]", "(ant/rgr)", "- Agensi", "(*)"
_SOURCE_TAG = regex.compile(
    r"^(?:[\(\[][^()\[\]\"'=]{1,40}[\)\]]|[-–—]{1,2}\s*\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2})\.?$"
)
_DASHED = regex.compile(r"^[-–—]")
SOURCE_TAG_MAX_WORDS = 4


def split_trailing_tag(line: str) -> tuple[str, str | None]:
    """(the line without its trailing source tag or footnote mark, the tag or None)."""
    m = _TRAILING_TAG.search(line)
    if m is None:
        return line, None
    head = line[: m.start()].rstrip()
    if len(words_of(head)) < 3:
        return line, None
    return head, (m.group("tag") or m.group("mark")).strip()


def is_source_tag(line: Line, listed: bool = False) -> bool:
    """A line that is only a bracketed source, credit or editor tag, or a dash and an agency
    (not when it is an item of a dashed list: ``listed``)."""
    if listed and _DASHED.match(line.text):
        return False
    return len(line.words) <= SOURCE_TAG_MAX_WORDS and bool(_SOURCE_TAG.match(line.text))


def dashed_list_items(lines: list[Line]) -> set[int]:
    """Positions of lines opening with a dash next to another such line (a dashed list)."""
    dashed = [bool(_DASHED.match(ln.text)) for ln in lines]
    return {
        i
        for i, d in enumerate(dashed)
        if d and ((i > 0 and dashed[i - 1]) or (i + 1 < len(lines) and dashed[i + 1]))
    }


def unpunctuated_share(text: str) -> float:
    """Share of a text's letters written in a script without sentence punctuation (Thai, Lao)."""
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_UNPUNCTUATED.findall(text)) / letters if letters else 0.0


def reads_as_sentence(text: str) -> bool:
    """Ends like a sentence: with sentence punctuation of its script (and holds some), or, in a
    script that has none, is long enough to be one."""
    if _SENT_END.search(text) and _SENT_PUNCT.search(text):
        return True
    return len(text) >= UNPUNCTUATED_SENTENCE_CHARS and unpunctuated_share(text) >= UNPUNCTUATED_MIN_SHARE


def normalise_line(line: str) -> str:
    """One line with its whitespace collapsed (non-breaking and zero-width spaces included)."""
    line = line.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return _WS.sub(" ", line).strip()


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


# scripts written without spaces between words: Han, kana, Thai, Lao, Khmer, Myanmar
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
UNSPACED_CHARS_PER_WORD = 3


def word_count(text: str) -> int:
    """Words of a text, estimated in scripts written without spaces (a word per 3 characters)."""
    unspaced = len(_UNSPACED.findall(text))
    return len(_WORD.findall(text)) + unspaced // UNSPACED_CHARS_PER_WORD


def _compile(regexes: list[str]) -> re.Pattern[str] | None:
    if not regexes:
        return None
    return re.compile("|".join(f"(?:{r})" for r in regexes), re.IGNORECASE)


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    import justext  # installed with trafilatura; we only read its stop-word lists

    return {
        name: frozenset(w.casefold() for w in justext.get_stoplist(name)) for name in justext.get_stoplists()
    }


@dataclass(frozen=True, slots=True)
class CleanData:
    """Clutter patterns of every language and the stop-word lists, loaded once per worker."""

    patterns: dict[str, re.Pattern[str]]
    share_words: frozenset[str]
    share_glue: frozenset[str]
    comment_heads: re.Pattern[str] | None
    tail_heads: re.Pattern[str] | None
    byline: re.Pattern[str] | None
    datelines: tuple[re.Pattern[str], ...]
    title_separators: tuple[str, ...]
    spam_terms: frozenset[str]
    nav_words: frozenset[str]
    stoplists: dict[str, frozenset[str]]
    stop_index: dict[str, tuple[str, ...]]
    date_languages: tuple[str, ...]

    @classmethod
    def load(cls) -> CleanData:
        return _load_data()


@lru_cache(maxsize=1)
def _load_data() -> CleanData:
    res = all_languages_resource("clutter")
    patterns = {}
    for key in REASONS:
        pat = _compile(res.get(key, []))
        if pat is not None:
            patterns[key] = pat
    stoplists = _stoplists()
    index: dict[str, list[str]] = {}
    for name, words in stoplists.items():
        for w in words:
            index.setdefault(w, []).append(name)
    return CleanData(
        patterns=patterns,
        share_words=frozenset(w.casefold() for w in res.get("share_words", [])),
        share_glue=frozenset(w.casefold() for w in res.get("share_glue", [])),
        comment_heads=_compile(res.get("comment_heads", [])),
        tail_heads=_compile(res.get("tail_heads", [])),
        byline=_compile(res.get("byline", [])),
        datelines=tuple(re.compile(r) for r in res.get("dateline", [])),
        title_separators=tuple(res.get("title_separators", [])),
        spam_terms=frozenset(w.casefold() for w in res.get("spam_terms", [])),
        nav_words=frozenset(w.casefold() for w in res.get("nav_words", [])),
        stoplists=stoplists,
        stop_index={w: tuple(v) for w, v in index.items()},
        date_languages=tuple(sorted(set(languages()) | set(raw_file(BASE, "clutter").get("header_date_languages", []))
                                    )),
    )


@dataclass(slots=True)
class Line:
    """One non-empty line of the input and what the classifier thinks of it."""

    index: int
    text: str
    words: list[str] = field(default_factory=list)
    stop_density: float = 0.0
    sentence: bool = False  # ends like a sentence
    cls: str = "short"  # good / neargood / short / bad (jusText's classes)
    reason: str | None = None  # set when the line is dropped
    hard: bool = False  # decided by a pattern: context revision leaves it alone
    listed: bool = False  # an item of a numbered list (1., 2., 3. ...)
    gapped: bool = False  # the raw line had words set apart by runs of spaces or tabs (menus)

    chars: int = 0  # length in Latin-equivalent characters (Han, kana, Hangul count 3)

    def __post_init__(self) -> None:
        self.chars = len(self.text) + 2 * len(_WIDE.findall(self.text))

    @property
    def kept(self) -> bool:
        return self.reason is None

    def drop(self, reason: str, hard: bool = True) -> None:
        self.cls = "bad"
        self.reason = reason
        self.hard = hard


def best_stoplists(lines: list[Line], data: CleanData) -> tuple[list[frozenset[str]], float]:
    """The stop-word lists that best cover the document's prose, and the best one's coverage.

    Counted over lines of at least ``PROSE_MIN_WORDS`` words (menus are full of English
    or of names); up to ``STOPLIST_CANDIDATES`` lists are kept, so that a page mixing two
    languages has each line measured against its own.
    """
    prose = [w for ln in lines if len(ln.words) >= PROSE_MIN_WORDS for w in ln.words]
    if len(prose) < 20:
        prose = [w for ln in lines for w in ln.words]
    if not prose:
        return [], 0.0
    chosen: list[frozenset[str]] = []
    coverage = 0.0
    left = prose
    for _ in range(STOPLIST_CANDIDATES):
        # greedy: the next list is the one that best covers the words the chosen ones miss
        hits: Counter[str] = Counter()
        for w in left:
            for name in data.stop_index.get(w, ()):
                hits[name] += 1
        if not hits:
            break
        name, n = hits.most_common(1)[0]
        if chosen and n < MIN_STOPLIST_COVERAGE * len(prose):
            break
        coverage = coverage or n / len(prose)
        chosen.append(data.stoplists[name])
        left = [w for w in left if w not in data.stoplists[name]]
    return chosen, coverage


def pattern_reason(line: Line, data: CleanData) -> str | None:
    """The reason code of the first clutter pattern the line matches, if any."""
    n = len(line.words)
    if len(line.text) > PATTERN_MAX_CHARS:
        return None
    for key, pat in data.patterns.items():
        if n <= MAX_WORDS[key] and pat.search(line.text):
            return REASONS[key]
    if (
        line.words
        and n <= MAX_WORDS["share"]
        and all(w in data.share_words or w in data.share_glue or w.isdigit() for w in line.words)
        and any(w in data.share_words for w in line.words)
    ):
        return REASONS["share"]
    return None


def is_link_line(line: Line) -> bool:
    urls = _URL.findall(line.text)
    return bool(urls) and sum(map(len, urls)) > 0.5 * len(line.text)


def is_menu_line(line: Line, data: CleanData) -> bool:
    """A line that reads like a menu item: few words, capitalised or a section name, no sentence."""
    if (
        not line.words
        or len(line.words) > MENU_MAX_WORDS
        or _SENT_PUNCT.search(line.text[-1:])
        or line.sentence
    ):
        return False
    if all(w in data.nav_words for w in line.words):
        return True
    return bool(_CAP.match(line.text)) and not line.text.endswith((":", ","))


def is_nav_bar(line: Line, data: CleanData) -> bool:
    """Section names in a row on one line ("Home News Sport Business | Contact")."""
    if len(line.words) < 4 or _SENT_PUNCT.search(line.text[-1:]):
        return False
    nav = sum(1 for w in line.words if w in data.nav_words)
    return nav >= 4 and nav >= 0.75 * len(line.words)


def classify(lines: list[Line], data: CleanData) -> None:
    """Set ``cls`` and ``reason`` of every line (in place)."""
    all_words = [w for ln in lines for w in ln.words]
    stoplists, coverage = best_stoplists(lines, data)
    use_stops = coverage >= MIN_STOPLIST_COVERAGE
    vocab = Counter(all_words)

    dashed = dashed_list_items(lines)
    for pos, ln in enumerate(lines):
        ln.sentence = reads_as_sentence(ln.text)
        if use_stops:
            counted = [w for w in ln.words if not w.isdigit()]
            ln.stop_density = (
                max(sum(1 for w in counted if w in sl) for sl in stoplists) / len(counted) if counted else 0.0
            )
            if ln.sentence and not _SENT_PUNCT.search(ln.text):
                # a sentence in a script without punctuation (Thai, Lao) has no stop-word list
                # of its own; the lists chosen for the page's other lines say nothing about it
                ln.stop_density = max(ln.stop_density, 0.35)
        else:
            # no stop-word list fits the document: sentence punctuation stands in for one
            # (and, in a script without it, a line long enough to be a sentence)
            ln.stop_density = 0.35 if _SENT_PUNCT.search(ln.text) or ln.sentence else 0.0
        if ln.reason is not None:
            continue
        reason = pattern_reason(ln, data)
        if reason is None and is_link_line(ln):
            reason = "site-furniture"
        if reason is None and is_source_tag(ln, pos in dashed):
            reason = "source-tag"
        if reason is None and not ln.words:
            reason = "site-furniture"
        if reason is None and is_spam(ln, vocab, data):
            reason = "spam"
        if reason is None and is_nav_bar(ln, data):
            reason = "menu"
        if reason is not None:
            ln.drop(reason)
            continue
        # jusText's context-free class
        if ln.chars < LENGTH_LOW:
            ln.cls = "short"
        elif ln.stop_density >= STOPWORDS_HIGH and ln.chars > LENGTH_HIGH:
            ln.cls = "good"
        elif ln.stop_density >= STOPWORDS_LOW:
            ln.cls = "neargood"
        else:
            ln.cls = "bad"
    _mark_menus(lines, data)
    mark_numbered_lists(lines)
    _revise(lines)
    for ln in lines:
        if ln.cls == "bad" and ln.reason is None:
            ln.reason = "boilerplate"


def is_spam(line: Line, vocab: Counter[str], data: CleanData) -> bool:
    """A short line of link-bait words that shares nothing with the rest of the article.

    Hacked sites inject such lines ("situs slot gacor maxwin hari ini"): a few words, many
    of them spam terms, and (almost) no other word of the line appears elsewhere in the
    document, so an article about a casino keeps its casino.
    """
    if not line.words or len(line.words) > SPAM_MAX_WORDS:
        return False
    terms = [w for w in line.words if w in data.spam_terms]
    if len(set(terms)) < 2 or len(terms) < SPAM_MIN_SHARE * len(line.words):
        return False
    own = Counter(line.words)
    content = [w for w in own if w not in data.spam_terms and len(w) > 3 and not w.isdigit()]
    shared = [w for w in content if vocab[w] > own[w]]
    return len(shared) <= max(0, len(content) // 5)


def _mark_menus(lines: list[Line], data: CleanData) -> None:
    """Runs of menu-like short lines are menus, wherever they are."""
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= MENU_MIN_RUN:
            for ln in run:
                ln.drop("menu", hard=False)
        run.clear()

    for ln in lines:
        if ln.reason is None and ln.cls == "short" and is_menu_line(ln, data):
            run.append(ln)
        elif ln.reason is not None and ln.reason in ("menu", "share-buttons", "site-furniture"):
            continue  # a separator or share line inside a menu does not break the run
        else:
            flush()
    flush()


_ITEM_NUMBER = re.compile(r"^(\d{1,3})\s*[.)]\s+\S")
LIST_MIN_ITEMS = 3  # this many consecutively numbered lines are a list


def mark_numbered_lists(lines: list[Line]) -> None:
    """Lines numbered in sequence (1. / 2. / 3., or counting down) are items of one list:
    content, even without sentence punctuation. Unnumbered lines between items (an item's
    second line, a picture caption) do not break the list."""
    items: list[tuple[int, int]] = []  # (line position, number)
    for i, ln in enumerate(lines):
        m = _ITEM_NUMBER.match(ln.text)
        if m and not ln.hard:
            items.append((i, int(m.group(1))))
    run: list[int] = []
    step = 0

    def flush() -> None:
        if len(run) >= LIST_MIN_ITEMS:
            for i in run:
                lines[i].listed = True

    prev = None
    for i, n in items:
        if prev is not None and abs(n - prev) == 1 and (step == 0 or n - prev == step):
            step = n - prev
            run.append(i)
        else:
            flush()
            run, step = [i], 0
        prev = n
    flush()


def _neighbours(lines: list[Line], ignore_neargood: bool) -> tuple[list[str], list[str]]:
    """For every line, the class of the nearest deciding line before and after it.

    Deciding lines are good or bad ones (and near-good ones unless ignored); past either end
    of the text the answer is "bad", as in jusText. Two passes, so long texts stay linear.
    """
    deciding = ("good", "bad") if ignore_neargood else ("good", "bad", "neargood")
    n = len(lines)
    before, after = ["bad"] * n, ["bad"] * n
    last = "bad"
    for i in range(n):
        before[i] = last
        if lines[i].cls in deciding:
            last = lines[i].cls
    last = "bad"
    for i in range(n - 1, -1, -1):
        after[i] = last
        if lines[i].cls in deciding:
            last = lines[i].cls
    return before, after


def _revise(lines: list[Line]) -> None:
    """jusText's context-sensitive pass over short and near-good lines."""
    # headings: a short line followed closely by a good one is near-good
    for i, ln in enumerate(lines):
        if ln.cls != "short" or ln.hard or ln.sentence:
            continue
        dist, j = 0, i + 1
        while j < len(lines) and dist <= MAX_HEADING_DISTANCE:
            if lines[j].cls == "good":
                ln.cls = "neargood"
                break
            dist += lines[j].chars
            j += 1
    prev, nxt = _neighbours(lines, ignore_neargood=True)
    prev_ng, nxt_ng = _neighbours(lines, ignore_neargood=False)
    new: dict[int, str] = {}
    for i, ln in enumerate(lines):
        if ln.cls != "short":
            continue
        if prev[i] == "good" and nxt[i] == "good":
            new[i] = "good"
        elif prev[i] == "bad" and nxt[i] == "bad":
            new[i] = "bad"
        elif (prev[i] == "bad" and prev_ng[i] == "neargood") or (nxt[i] == "bad" and nxt_ng[i] == "neargood"):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, c in new.items():
        lines[i].cls = c
    prev, nxt = _neighbours(lines, ignore_neargood=True)
    for i, ln in enumerate(lines):
        if ln.cls == "neargood":
            ln.cls = "bad" if (prev[i], nxt[i]) == ("bad", "bad") else "good"


# main-span selection: a good line adds its length, every dropped line costs this much
SPAN_LINE_PENALTY = 40
HEADING_MAX_CHARS = 100  # a kept line shorter than this without sentence punctuation is a heading
SPAN_NEARGOOD_WEIGHT = 0.5
# a phrase of prose words without final punctuation (a list item, a table row) is neither
# evidence for the article nor against it
PHRASE_MIN_WORDS = 5
PHRASE_WEIGHT = 0.0
SPAN_MARKER_PENALTY = 10  # a line dropped by a pattern (credit, "read also", byline) costs less


def _span_gain(ln: Line) -> float:
    if ln.listed and not ln.hard:
        return ln.chars * SPAN_NEARGOOD_WEIGHT
    if ln.kept and ln.cls == "good":
        return float(ln.chars)
    if ln.kept:
        return ln.chars * SPAN_NEARGOOD_WEIGHT
    if ln.reason == "boilerplate" and ln.sentence and ln.stop_density >= STOPWORDS_LOW:
        return float(ln.chars)
    if ln.reason == "boilerplate" and len(ln.words) >= PHRASE_MIN_WORDS and ln.stop_density >= STOPWORDS_LOW:
        return ln.chars * PHRASE_WEIGHT
    if ln.hard and ln.reason not in ("menu", "boilerplate"):
        return -SPAN_MARKER_PENALTY
    return -min(SPAN_LINE_PENALTY, 15 + ln.chars / 4)


def _best_span(gains: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """Maximum-sum stretch of ``gains[lo:hi]`` as (score, first, last); score 0 when none."""
    best, first, last = 0.0, -1, -1
    run, start = 0.0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, start = 0.0, i
        run += gains[i]
        if run > best:
            best, first, last = run, start, i
    return best, first, last


def select_spans(lines: list[Line], keep_share: float) -> list[tuple[int, int]]:
    """The stretches of lines that hold the article, as (first, last) pairs in text order.

    The main span is the maximum-sum stretch, where kept good lines add their length and
    dropped lines cost up to ``SPAN_LINE_PENALTY``: a caption or an advert marker inside
    the article does not split it, a menu or a list of teasers does. Left and right of it
    the search repeats; a stretch is kept while it is worth ``keep_share`` of the main one
    (an article interrupted by a gallery), not when it is an author's bio or a site blurb.
    """
    gains = [_span_gain(ln) for ln in lines]
    best, first, last = _best_span(gains, 0, len(lines))
    if first < 0:
        return []
    spans = [(first, last)]
    todo = [(0, first), (last + 1, len(lines))]
    while todo:
        lo, hi = todo.pop()
        if hi - lo <= 0:
            continue
        score, f, l = _best_span(gains, lo, hi)
        if f < 0 or score < keep_share * best:
            continue
        spans.append((f, l))
        todo += [(lo, f), (l + 1, hi)]
    return sorted(spans)


def keep_spans(lines: list[Line], spans: list[tuple[int, int]]) -> None:
    """Restore what belongs inside the article's spans; drop what is kept outside them."""
    inside = [False] * len(lines)
    for first, last in spans:
        first, last = extend_span(lines, first, last)
        restore_in_span(lines, (first, last))
        last = trim_span_tail(lines, first, last)
        drop_echoes(lines, first, last)
        for i in range(first, last + 1):
            inside[i] = True
    for ln, ok in zip(lines, inside):
        if not ok and ln.kept:
            ln.drop("outside-main", hard=False)


EDGE_MIN_WORDS = 3  # a sentence this long next to the span's edge joins it
_FULL_STOP = regex.compile(rf"[{STERM}][{CLOSERS}]?\s*$")


def _joins_edge(ln: Line) -> bool:
    return (
        ln.reason == "boilerplate"
        and not ln.hard
        and len(ln.words) >= EDGE_MIN_WORDS
        and bool(_FULL_STOP.search(ln.text))
    )


def extend_span(lines: list[Line], first: int, last: int) -> tuple[int, int]:
    """A span grows over the sentences right at its edges (a closing line of the article
    too short or too plain for jusText): only whole sentences, only with nothing between."""
    while last + 1 < len(lines) and _joins_edge(lines[last + 1]):
        last += 1
    while first > 0 and _joins_edge(lines[first - 1]):
        first -= 1
    return first, last


TAIL_MARKERS = ("newsletter", "comment-form", "read-also", "share-buttons", "menu")
TAIL_MAX_SHARE = 0.15  # kept text after the span's last marker, as a share of the span's


def trim_span_tail(lines: list[Line], first: int, last: int) -> int:
    """What follows a newsletter call, a share bar, a comment form or a menu at the end of a
    span is the site's pitch, not the article, when it is a small share of the span; returns
    the span's new last line."""
    marker = None
    for i in range(last, first - 1, -1):
        if lines[i].reason in TAIL_MARKERS:
            marker = i
            break
    if marker is None:
        return last
    total = sum(ln.chars for ln in lines[first : last + 1] if ln.kept)
    after = sum(ln.chars for ln in lines[marker + 1 : last + 1] if ln.kept)
    if after == 0 or after > TAIL_MAX_SHARE * total:
        return last
    for ln in lines[marker + 1 : last + 1]:
        if ln.kept:
            ln.drop("after-article", hard=False)
    return marker


ECHO_WORDS = 6  # a kept line opening with the same words as the next paragraph echoes it


def drop_echoes(lines: list[Line], first: int, last: int) -> None:
    """A teaser of the next paragraph (its first words, cut short) is dropped: the text
    that follows says it in full."""
    kept = [ln for ln in lines[first : last + 1] if ln.kept]
    for a, b in itertools.pairwise(kept):
        if (
            len(a.words) >= ECHO_WORDS
            and len(a.words) < len(b.words)
            and a.words[:ECHO_WORDS] == b.words[:ECHO_WORDS]
        ):
            a.drop("repeated-line", hard=False)


def restore_in_span(lines: list[Line], span: tuple[int, int]) -> None:
    """Inside the article's span, lines dropped only for want of good neighbours come back.

    Sentences and long lines come back first; then a short line (a subheading, a list
    item) comes back when the lines on both sides of it are kept: a short line that leads
    into dropped clutter ("More news") stays out.
    """
    first, last = span
    inside = lines[first : last + 1]
    for ln in inside:
        if ln.listed and not ln.hard and ln.reason in ("boilerplate", "menu"):
            ln.reason, ln.cls = None, "good"
        if ln.reason == "boilerplate" and not ln.hard and (ln.sentence or ln.chars >= LENGTH_LOW):
            ln.reason, ln.cls = None, "good"
    for k, ln in enumerate(inside):
        if ln.reason != "boilerplate" or ln.hard:
            continue
        prev_ok = k > 0 and inside[k - 1].kept
        next_ok = k + 1 < len(inside) and (inside[k + 1].kept or inside[k + 1].reason == "boilerplate")
        if prev_ok and next_ok:
            ln.reason, ln.cls = None, "good"
    # a short line that is not a sentence stays only between two kept lines (a subheading,
    # a list item); one next to cut clutter or at the span's ends is a teaser or a label
    # (a source tag or credit split off the line before does not separate it from its neighbour)
    keep = [ln.kept for ln in inside]
    for k, ln in enumerate(inside):
        if not keep[k] or ln.sentence or ln.listed or ln.chars >= HEADING_MAX_CHARS:
            continue
        p = k - 1
        while p >= 0 and inside[p].reason == "source-tag":
            p -= 1
        prev_ok = p >= 0 and keep[p]
        next_ok = k + 1 < len(inside) and keep[k + 1]
        if not (prev_ok and next_ok):
            ln.drop("boilerplate", hard=False)


# author bios: "Jane Doe" on a line of its own, then "Jane Doe is a reporter who ..."
BIO_NAME_MAX_WORDS = 4
BIO_WINDOW = 8  # lines between the name line and its bio
BIO_MAX_CHARS = 600
BIO_MIN_WORDS = 6  # shorter kept lines between the name and the bio are the box's labels


def name_of(line: Line) -> list[str]:
    """The person's name a short line ends with ("Jane Doe", "About Jane Doe"): its last
    run of two or more capitalised words, casefolded; [] when there is none."""
    tokens = line.text.split()
    if not tokens or len(tokens) > BIO_NAME_MAX_WORDS + 1 or len(line.words) != len(tokens):
        return []
    name: list[str] = []
    for t in reversed(tokens):
        if not (t[:1].isupper() and t[1:2].islower()):
            break
        name.append(t.casefold())
    return name[::-1] if len(name) >= 2 else []


def drop_author_bios(lines: list[Line]) -> None:
    """A paragraph that opens with the name (or first name) of a name line a few lines
    above it, and stands alone (the line after it is dropped), is the author's bio, and the
    name line and the short lines between them ("Follow", "Full bio") are its box. A
    paragraph of the article about a named person goes on into the next one."""
    for i, ln in enumerate(lines):
        name = name_of(ln)
        if not name:
            continue
        for j in range(i + 1, min(len(lines), i + 1 + BIO_WINDOW)):
            other = lines[j]
            if not other.kept or len(other.words) < BIO_MIN_WORDS:
                continue  # a label of the author box, or clutter already cut
            if other.chars > BIO_MAX_CHARS or (j + 1 < len(lines) and lines[j + 1].kept):
                break
            # the whole name, or the name without a label before it ("About"), or a first name
            if any(
                other.words[: len(name) - k] == name[k:]
                or (other.words[0] == name[k] and other.words[1] not in name)
                for k in range(len(name) - 1)
            ):
                for box in lines[i : j + 1]:
                    if box.kept:
                        box.drop("author-bio", hard=False)
            break
