"""Writing systems that name their language: a Hangul text is Korean, a Thai one Thai.

The table is language data (``resources/lang/_base/scripts.yaml``, key ``unique``): each
script used by exactly one language, with its Unicode ranges. A text all of whose letters
are in one such script is given that language with no classifier call. Key ``required``
names letters a language is never written without (kana for Japanese).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from newsloom.resources import lang_resource

LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True, frozen=True)
class _Script:
    name: str
    lang: str
    foreign: re.Pattern[str]  # a letter outside the script


class UniqueScripts:
    """Look up the single language of a text written in a one-language script, if any."""

    def __init__(self, table: dict | None = None, required: dict | None = None) -> None:
        data = lang_resource(None, "scripts")
        table = table if table is not None else data.get("unique", {})
        required = required if required is not None else data.get("required", {})
        self._required = {
            str(lang): re.compile(
                "[" + "".join(f"{re.escape(chr(int(lo)))}-{re.escape(chr(int(hi)))}" for lo, hi in rs) + "]"
            )
            for lang, rs in required.items()
        }
        spans: list[tuple[int, int, _Script]] = []
        for name, spec in table.items():
            ranges = [(int(lo), int(hi)) for lo, hi in spec["ranges"]]
            cls = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)
            script = _Script(name, str(spec["lang"]), re.compile(f"(?![{cls}])[^\\W\\d_]"))
            spans += [(lo, hi, script) for lo, hi in ranges]
        spans.sort(key=lambda s: s[0])
        self._starts = [s[0] for s in spans]
        self._spans = spans

    def possible(self, lang: str, text: str) -> bool:
        """False when ``lang`` needs letters (``required``) that ``text`` lacks."""
        need = self._required.get(lang)
        return need is None or need.search(text) is not None

    def script_of(self, ch: str) -> _Script | None:
        i = bisect_right(self._starts, ord(ch)) - 1
        if i >= 0:
            lo, hi, script = self._spans[i]
            if lo <= ord(ch) <= hi:
                return script
        return None

    def lang_of(self, text: str) -> str | None:
        """The language when every letter of ``text`` is in one unique script, else None."""
        first = LETTER.search(text)
        if first is None:
            return None
        script = self.script_of(first.group())
        if script is None or script.foreign.search(text, first.start()):
            return None
        return script.lang
