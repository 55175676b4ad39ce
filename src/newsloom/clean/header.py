"""Title, publisher and publication date from the head of a scraped plain text.

Scraped articles usually start with a few lines of metadata before the body:

    Floods cut off three villages | Example Post          <- title (and site name)
    Tuesday, 09 Mar 2021 14:05 WIB                        <- bare timestamp line
    JAKARTA, March 9 (Reuters) -- Floods cut off ...      <- wire dateline opening the body

``extract_header`` finds them among the first lines. The title line and the bare timestamp
line are metadata (the cleaner removes them from the text); a dateline prefix is content
and stays, but its agency or site name and its date are used as metadata. Dates are
parsed with ``dateparser`` (offline), restricted to the languages newsloom has data for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import regex

from newsloom.clean.lines import CleanData, word_count, words_of

HEAD_LINES = 8  # metadata is looked for among this many first lines
TITLE_MAX_CHARS = 250
TITLE_MAX_WORDS = 30
DATE_LINE_MAX_CHARS = 90
DATE_LINE_MAX_OTHER_WORDS = 4  # words besides the date itself ("Published:", "WIB", "Updated")
SITE_MAX_WORDS = 4
DATELINE_MAX_CHARS = 120
REPEATED_TITLE_MIN_WORDS = 3  # "Contact us" in the header and the footer is not a title
AUTHOR_MAX_WORDS = 6  # a longer "by ..." line is a sentence, not a byline

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}\s*[:.h]\s*\d{2}(?!\d)|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/?$", re.IGNORECASE)
# a title never ends with a full stop, a comma or a semicolon; the full stops of other scripts
# (。 ۔ । ။ ...) count too, question and exclamation marks do not ("Who won?" is a title)
_SENTENCE_END = regex.compile(r"(?:[.;,;،؛]|(?![!?！？‼⁇⁈⁉‽؟])\p{Sentence_Terminal})\s*$")
# (?<!\s): a match is tried at the start of a run of spaces only, never again inside it (the
# leftmost match starts there anyway): "\s*" retried at every space of a run was quadratic.
_AUTHOR_END = re.compile(r"(?<!\s)\s*(?:[|•·,;]|\s[-–—]\s|\d).*$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(slots=True)
class Header:
    """What the head of a text says about the article, and which lines said it."""

    title: str | None = None
    title_line: int | None = None
    publisher: str | None = None
    published: str | None = None
    date_line: int | None = None
    byline_line: int | None = None
    author: str | None = None
    repeated_title_lines: list[int] = field(default_factory=list)


def looks_like_headline(line: str) -> bool:
    """A line that reads like a title: a few words, no sentence-final full stop or comma."""
    words = words_of(line)
    if not 2 <= word_count(line) <= TITLE_MAX_WORDS or len(line) > TITLE_MAX_CHARS:
        return False
    if _SENTENCE_END.search(line) and not line.rstrip().endswith("..."):
        return False
    return not all(w.isdigit() for w in words)


_MENU_SPLIT = re.compile(r"\s{2,}|\s+[|/•·>»]\s+")
TITLE_MIN_WORDS = 4  # a headline found by position (not repeated) has at least this many words


def menu_line(line: str, gapped: bool = False) -> bool:
    """A row of short section names ("World | Business | Sport", "Home / News"), or, when the
    raw line set its words apart with runs of spaces, a row of three or more capitalised words."""
    parts = [p for p in _MENU_SPLIT.split(line) if p.strip()]
    if len(parts) >= 2 and all(len(words_of(p)) <= 3 for p in parts):
        return True
    words = line.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return gapped and len(words) >= 3 and not _SENTENCE_END.search(line) and capitalised >= 0.6 * len(words)


def masthead(lines: list[str], i: int, gapped: list[bool] | None = None) -> str | None:
    """The site's name when line ``i`` is a masthead: one of the first two lines, a few words
    (a section after "|" allowed), followed by a menu row or itself a domain or in capitals."""
    if i > 1 or i >= len(lines) or not lines[i].strip():
        return None
    name = _MENU_SPLIT.split(lines[i])[0].strip()
    if not name or not 1 <= len(words_of(name)) <= SITE_MAX_WORDS or _SENTENCE_END.search(name):
        return None
    followed_by_menu = i + 1 < len(lines) and menu_line(lines[i + 1], bool(gapped and gapped[i + 1]))
    # or a section label under it, then the headline ("Site", "Environment", "Headline ...")
    over_section = (
        i + 2 < len(lines)
        and len(words_of(lines[i + 1])) <= 3
        and not _SENTENCE_END.search(lines[i + 1])
        and looks_like_headline(lines[i + 2])
        and len(words_of(lines[i + 2])) >= TITLE_MIN_WORDS
    )
    if not (followed_by_menu or over_section or _DOMAIN.match(name) or (name.isupper() and len(name) > 3)):
        return None
    if name.isupper() and not _DOMAIN.match(name):
        name = " ".join(w.capitalize() for w in name.split())
    return name


def split_site(line: str, data: CleanData, later: set[str]) -> tuple[str, str | None]:
    """Split "Title | Site" or "Site - Title" into (title, site); (line, None) when it is not one."""
    for sep in data.title_separators:
        if sep not in line:
            continue
        for cut in {line.find(sep), line.rfind(sep)}:
            left, right = line[:cut].strip(), line[cut + len(sep) :].strip()
            if not left or not right:
                continue
            # the part repeated later as a line of its own is the title
            if left.casefold() in later:
                return left, right
            if right.casefold() in later:
                return right, left
            if _DOMAIN.match(right):
                return left, right
            if _DOMAIN.match(left):
                return right, left
        cut = line.rfind(sep)
        left, right = line[:cut].strip(), line[cut + len(sep) :].strip()
        lw, rw = len(words_of(left)), len(words_of(right))
        if 0 < rw <= SITE_MAX_WORDS and lw > rw and lw >= 3:
            return left, right
        cut = line.find(sep)
        left, right = line[:cut].strip(), line[cut + len(sep) :].strip()
        lw, rw = len(words_of(left)), len(words_of(right))
        if 0 < lw <= SITE_MAX_WORDS and rw > lw and rw >= 3:
            return right, left
    return line, None


_LABEL = re.compile(r"^[^\W\d_][^\d:|•·]{0,30}:\s*")  # "Published: ", "Diperbarui: "
# "\s*[|•·/]\s*(?=\d)|\s+[|•·]\s*", with its leading spaces tried at the start of a run only
# (linear; the same matches: a match never ends before a space, so none starts inside a run)
_SEPARATORS = re.compile(r"(?<!\s)\s+[|•·/]\s*(?=\d)|[|•·/]\s*(?=\d)|(?<!\s)\s+[|•·]\s*")
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}


def _iso(matched: str, value: datetime) -> str:
    if _TIME.search(matched):
        return value.replace(microsecond=0).isoformat()
    return value.date().isoformat()


@lru_cache(maxsize=4096)
def _parse_whole(text: str, langs: tuple[str, ...]) -> str | None:
    import dateparser

    try:
        value = dateparser.parse(text, languages=list(langs), settings=_SETTINGS)
    except Exception:  # noqa: BLE001 - dateparser raises many error types on odd input: no date
        return None
    return _iso(text, value) if isinstance(value, datetime) else None


def parse_date(text: str, data: CleanData, search: bool = True) -> tuple[str, str] | None:
    """(matched text, ISO date or datetime) of the first full date in ``text``, or None.

    Only dates with a year count: "March 9" alone cannot be placed. A time of day in the
    matched text gives a datetime (with its UTC offset when a zone such as WIB is given).
    The whole text is tried first (fast); with ``search`` a date inside it is looked for too.
    """
    text = text.translate(_DIGITS)
    if not _YEAR.search(text):
        return None
    bare = _SEPARATORS.sub(" ", _LABEL.sub("", text)).strip()
    iso = _parse_whole(bare, data.date_languages)
    if iso is not None:
        return text, iso
    if not search:
        return None
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=list(data.date_languages), settings=_SETTINGS)
    except Exception:  # noqa: BLE001 - as above
        return None
    for matched, value in found or []:
        if _YEAR.search(matched) and isinstance(value, datetime):
            return matched, _iso(matched, value)
    return None


def date_line(line: str, data: CleanData, search: bool = True) -> str | None:
    """The ISO date of a bare timestamp line ("Tuesday, 09 Mar 2021 14:05 WIB"), else None."""
    if len(line) > DATE_LINE_MAX_CHARS:
        return None
    # cheap gate before dateparser: a day and a year, and few words besides
    words = words_of(line.translate(_DIGITS))
    alpha = [w for w in words if not w.isdigit()]
    if len(words) - len(alpha) < 2 or len(alpha) > DATE_LINE_MAX_OTHER_WORDS + 3:
        return None
    got = parse_date(line, data, search)
    if got is None:
        return None
    matched, iso = got
    rest = line.translate(_DIGITS).replace(matched, " ")
    if len([w for w in words_of(rest) if not w.isdigit()]) > DATE_LINE_MAX_OTHER_WORDS:
        return None
    return iso


def dateline(line: str, data: CleanData) -> tuple[str | None, str | None]:
    """(publisher, ISO date) from a dateline opening a paragraph ("CAIRO, March 9 (Reuters) --")."""
    head = line[:DATELINE_MAX_CHARS]  # a dateline opens the paragraph; never scan a whole page
    for pat in data.datelines:
        m = pat.match(head)
        if not m:
            continue
        groups = m.groupdict()
        publisher = (groups.get("publisher") or "").strip() or None
        if publisher and not words_of(publisher):
            publisher = None
        when = None
        if groups.get("date"):
            got = parse_date(groups["date"], data)
            when = got[1] if got else None
        return publisher, when
    return None, None


def byline_author(line: str, data: CleanData) -> str | None:
    """The name in a byline ("By Jane Doe, Example Post | 9 March 2021" -> "Jane Doe").

    The byline patterns of the language files open with their label as the first group
    ("by", "oleh", "penulis"); the author is what follows it, up to a separator, a comma
    or a digit (the outlet, the date)."""
    if data.byline is None:
        return None
    m = data.byline.search(line)
    if m is None:
        return None
    label_end = next((m.end(g) for g in range(1, (m.re.groups or 0) + 1) if m.group(g) is not None), None)
    if label_end is None:
        return None
    name = _AUTHOR_END.sub("", line[label_end:].lstrip(" :")).strip()
    words = words_of(name)
    if not words or len(words) > AUTHOR_MAX_WORDS or not name[:1].isalpha():
        return None
    return name


_TITLE_PARTS = re.compile(r"\s*(?::|\s[-–—|]\s)\s*")


def title_parts_repeated(title: str, folded: list[str], title_line: int) -> list[int]:
    """Lines below the title that repeat it, whole or one of its parts ("Rent strike:
    'No money left'" in the page's title, "Rent strike" and "'No money left'" as the
    article's own headline lines), when at least one part has three words or more."""
    parts = {p.casefold() for p in _TITLE_PARTS.split(title) if p}
    parts.add(title.casefold())
    if not any(word_count(p) >= REPEATED_TITLE_MIN_WORDS for p in parts):
        return []
    return [j for j in range(title_line + 1, len(folded)) if folded[j] in parts]


def extract_header(lines: list[str], data: CleanData, gapped: list[bool] | None = None) -> Header:
    """Title, publisher and date from the first lines of a text (lines already normalised;
    ``gapped`` says which raw lines set their words apart with runs of spaces)."""
    head = Header()
    if not lines:
        return head
    folded = [x.casefold() for x in lines]
    first_lines = lines[:HEAD_LINES]

    # 0. a masthead (site name over a menu row) names the publisher and is not the title
    gaps = gapped or [False] * len(lines)
    site_name = masthead(lines, 0, gaps) or masthead(lines, 1, gaps)
    skip = {i for i in (0, 1) if masthead(lines, i, gaps)} | {
        i for i, line in enumerate(first_lines) if menu_line(line, gaps[i])
    }

    # 1. the title: a head line repeated later, else a first line that reads like a headline
    for i, line in enumerate(first_lines):
        if i in skip:
            continue
        title, site = split_site(line, data, set(folded[i + 1 :]))
        key = title.casefold()
        repeated = [j for j in range(i + 1, len(lines)) if folded[j] == key]
        if repeated and looks_like_headline(title) and word_count(title) >= REPEATED_TITLE_MIN_WORDS:
            head.title, head.title_line, head.publisher = title, i, site
            head.repeated_title_lines = repeated
            break
    if head.title is None and skip:
        for i, line in enumerate(first_lines):
            if i in skip or date_line(line, data) is not None or (data.byline and data.byline.search(line)):
                continue
            if looks_like_headline(line) and word_count(line) >= TITLE_MIN_WORDS:
                title, site = split_site(line, data, set(folded[i + 1 :]))
                head.title, head.title_line, head.publisher = title, i, site
                break
            if _SENTENCE_END.search(line):  # the body has begun
                break
    if (
        head.title is None
        and 0 not in skip
        and looks_like_headline(lines[0])
        and date_line(lines[0], data) is None
        and not (data.byline and data.byline.search(lines[0]))
    ):
        title, site = split_site(lines[0], data, set(folded[1:]))
        head.title, head.title_line, head.publisher = title, 0, site

    if head.title is not None and not head.repeated_title_lines:
        head.repeated_title_lines = title_parts_repeated(head.title, folded, head.title_line or 0)

    if site_name:
        head.publisher = site_name  # the outlet, before any agency named in a dateline

    # 2. a bare timestamp line and a byline near the title
    start = 0 if head.title_line is None else head.title_line + 1
    for i in range(start, min(len(lines), start + 4)):
        if i in head.repeated_title_lines:
            continue
        if head.date_line is None:
            iso = date_line(lines[i], data)
            if iso is not None:
                head.published, head.date_line = iso, i
                continue
        if head.byline_line is None and data.byline and len(lines[i]) <= 80 and data.byline.search(lines[i]):
            head.byline_line = i
            head.author = byline_author(lines[i], data)

    # 3. a dateline opening the body gives the publisher (agency or site) and maybe the date
    taken = {head.title_line, head.date_line, head.byline_line, *head.repeated_title_lines}
    for i in range(start, min(len(lines), start + HEAD_LINES)):
        if i in taken:
            continue
        publisher, when = dateline(lines[i], data)
        if publisher or when:
            head.publisher = head.publisher or publisher
            head.published = head.published or when
            break
    return head
