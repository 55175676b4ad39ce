"""Script-independent keys for names: folding, Arabic normalisation, transliteration, skeletons.

Three keys, from the strictest to the loosest:

``fold(text)``
    The lookup key of an alias: NFKC, Arabic normalised (diacritics and tatweel dropped,
    أ إ آ ٱ -> ا, ة -> ه, ى -> ي, ؤ -> و, ئ -> ي, Persian ک ی -> ك ي), case-folded, Latin
    diacritics dropped, dots and apostrophes removed, other punctuation and hyphens turned
    into spaces. "U.N." -> "un", "Bangsa-Bangsa" -> "bangsa bangsa", "الأمم المتّحدة" -> "الامم المتحده".

``transliterate(text)``
    A readable Latin form of Arabic script (for display names of entities known only in
    Arabic): "أحمد فوزي" -> "Ahmd Fauzi"-like forms; short vowels are not written in Arabic,
    so the result is approximate. The letter table is data: ``translit`` in
    ``resources/lang/*/link.yaml``.

``skeleton(text)``
    The consonant skeleton used for identities of entities outside the knowledge base: each
    name part is transliterated to Latin, its article dropped ("al-", "el-", "ال"), spelling
    variants unified by ``skeleton_rules`` (kh -> h, dj -> j, q -> k, g -> j, final h dropped,
    Abdul/Abdel -> abd, ...), vowels and glides (``skeleton_drop``: a e i o u w y) dropped
    except a glide that starts the part (``skeleton_keep_initial``: Widodo -> wd, Yusuf -> ysf),
    doubled letters collapsed; the parts are joined in order. "Ahmad Fauzi", "Ahmed Fawzi"
    and "أحمد فوزي" all give "hmdfz"; "Muhammad"/"Mohammed"/"محمد" give "mhmd". Given names
    stay in the key, so two people sharing a surname keep different skeletons.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from newsloom.resources import all_languages_resource

_ARABIC_CHARS = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ک": "ك", "ی": "ي"}
)
_DROP = re.compile(r"[.'’‘`ʼʻʿʾ´\u200c\u200d\u200e\u200f]")
_SPACE = re.compile(r"[\s\-‐‑–—_/,;:!?()\[\]{}\"“”«»|+*&#@%]+")
_WS = re.compile(r"\s+")


def has_arabic(text: str) -> bool:
    return _ARABIC_CHARS.search(text) is not None


def normalise_arabic(text: str) -> str:
    """Arabic spelling variants to one form; other scripts pass through unchanged."""
    if not has_arabic(text):
        return text
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0654\u0655]")


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFKD", text)))


def fold(text: str) -> str:
    """The lookup key of a name (see the module docstring)."""
    if text.isascii():
        t = text.lower()
    else:
        t = _strip_marks(normalise_arabic(unicodedata.normalize("NFKC", text)).casefold())
    t = _DROP.sub("", t)
    t = _SPACE.sub(" ", t)
    return _WS.sub(" ", t).strip()


@dataclass(frozen=True, slots=True)
class _Tables:
    translit: dict[str, str]
    vowels: dict[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    drop: frozenset[str]
    keep_initial: frozenset[str]
    latin_articles: tuple[str, ...]
    arabic_articles: tuple[str, ...]
    min_stem: int


@lru_cache(maxsize=1)
def tables() -> _Tables:
    data = all_languages_resource("link")
    rules = tuple((re.compile(p), r) for p, r in data.get("skeleton_rules", []))
    arts = [a for a in data.get("articles", [])]
    return _Tables(
        translit=dict(data.get("translit", {})),
        vowels=dict(data.get("translit_vowels", {})),
        rules=rules,
        drop=frozenset(data.get("skeleton_drop", "aeiou")),
        keep_initial=frozenset(data.get("skeleton_keep_initial", "")),
        latin_articles=tuple(sorted((a for a in arts if not has_arabic(a)), key=len, reverse=True)),
        arabic_articles=tuple(
            sorted((normalise_arabic(a) for a in arts if has_arabic(a)), key=len, reverse=True)
        ),
        min_stem=int(data.get("min_stem", 2)),
    )


def _translit_word(word: str, readable: bool, sep: str = "") -> str:
    """Letter by letter; when ``readable``, a glide after a consonant reads as a vowel (و u, ي i)
    and a word-initial ayn or hamza as "a"."""
    tb = tables()
    out: list[str] = []
    after_consonant = False
    for i, ch in enumerate(word):
        latin = tb.translit.get(ch)
        if latin is None:
            out.append(ch)
            after_consonant = False
            continue
        if readable and ch in tb.vowels and after_consonant:
            out.append(tb.vowels[ch])
            after_consonant = False
            continue
        if readable and latin == "'" and i == 0:
            latin = "a"
        out.append(latin)
        after_consonant = latin not in ("a", "i", "u", "'")
    return sep.join(out)


def transliterate(text: str) -> str:
    """A readable Latin form of any Arabic-script words in ``text`` (others unchanged)."""
    if not has_arabic(text):
        return text
    tb = tables()
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text))
    words = []
    for word in text.split():
        prefix = ""
        if has_arabic(word):
            for art in tb.arabic_articles:
                if word.startswith(art) and len(word) - len(art) >= tb.min_stem:
                    prefix, word = "al-", word[len(art) :]
                    break
            latin = _translit_word(word, readable=True).replace("'", "")
            word = prefix + latin[:1].upper() + latin[1:]
        words.append(word)
    return " ".join(words)


_LETTER = "|"


def _latin_part(part: str) -> str:
    tb = tables()
    p = _strip_marks(part.casefold())
    for art in tb.latin_articles:
        if p.startswith(art) and len(p) - len(art) >= tb.min_stem:
            p = p[len(art) :]
            break
    p = "".join(c for c in p if "a" <= c <= "z" or c == _LETTER)
    if p in {a.strip("- ") for a in tb.latin_articles}:
        return ""
    for pattern, repl in tb.rules:
        p = pattern.sub(repl, p)
    p = p.replace(_LETTER, "")
    head = p[:1] if p[:1] in tb.keep_initial else ""
    return head + "".join(c for c in p[len(head) :] if c not in tb.drop)


def name_parts(text: str) -> list[str]:
    """The words of a name, Arabic normalised, split at spaces and hyphens between words."""
    return [w for w in fold(text).split(" ") if w]


def skeleton(text: str) -> str:
    """The consonant skeleton of a name (see the module docstring); never empty for a non-empty name."""
    joined = "".join(part_skeletons(text))
    if joined:
        return joined
    return fold(text).replace(" ", "") or text.strip()


def part_skeletons(text: str) -> list[str]:
    """The skeleton of each name part, in order (empty parts, like a lone article, dropped)."""
    return [s for s in (re.sub(r"(.)\1+", r"\1", _part_skeleton(w)) for w in name_parts(text)) if s]


def _part_skeleton(word: str) -> str:
    tb = tables()
    if has_arabic(word):
        for art in tb.arabic_articles:
            if word.startswith(art) and len(word) - len(art) >= tb.min_stem:
                word = word[len(art) :]
                break
        # letters kept apart, so that two letters never read as one digraph (ز + ه is not "zh")
        word = _translit_word(word, readable=False, sep=_LETTER)
    s = _latin_part(word)
    return s or (word if not word.isascii() else "")
