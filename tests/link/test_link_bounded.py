"""Linking work is linear in the number of mentions (issue 13): counted, never timed.

Before, acronyms were compared with every expansion (initials recomputed for each pair),
Arabic names glued to a clitic with every person, and partial names with every distinct full
name sharing their first part: a 19.5 MB text had not finished after 600 s.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.link import linker as linker_module
from newsloom.models import Document, EntityMention


def _doc(mentions: list[tuple[str, str]], lang: str | None = "id") -> Document:
    entities, pos = [], 0
    for text, typ in mentions:
        entities.append(EntityMention(start=pos, end=pos + len(text), text=text, type=typ))
        pos += len(text) + 1
    return Document(source="t", raw="", text=" ".join(t for t, _ in mentions), lang=lang, entities=entities)


def _mentions(kind: str, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        tag = "".join("bdfklmnprstz"[int(d)] for d in str(i))  # distinct letters-only names
        out += {
            "acronyms": [(f"Badan Usaha {tag} Negara", "ORG"), ("BUN", "ORG"), ("KPK", "ORG")],
            "arabic": [(f"وأحمد فوزي {tag}", "PER"), (f"أحمد فوزي {tag}", "PER"), ("والسيسي", "PER")],
            "partials": [(f"Ahmad {tag.title()}", "PER"), ("Ahmad", "PER"), (f"Siti Ahmad {tag.title()}", "PER")],
        }[kind]
    return out


class Counter:
    def __init__(self, monkeypatch, linker) -> None:
        self.runs = 0
        self.initials = 0
        real_runs, real_initials = linker_module._shorter_runs, linker._initials

        def runs(names):
            for run in real_runs(names):
                self.runs += 1
                yield run

        def initials(text):
            self.initials += 1
            return real_initials(text)

        monkeypatch.setattr(linker_module, "_shorter_runs", runs)
        monkeypatch.setattr(linker, "_initials", initials)


@pytest.mark.parametrize("kind", ["acronyms", "arabic", "partials"])
def test_doubling_the_mentions_doubles_the_work(linker, monkeypatch, kind):
    counter = Counter(monkeypatch, linker)
    work = []
    for n in (150, 300):
        counter.runs = counter.initials = 0
        doc = _doc(_mentions(kind, n))
        linker.link(doc)
        assert all(m.entity_id and m.name for m in doc.entities)
        work.append(counter.runs + counter.initials)
    assert work[1] <= 2.2 * work[0] + 10, work


def test_initials_are_computed_once_per_expansion(linker, monkeypatch):
    counter = Counter(monkeypatch, linker)
    doc = _doc(_mentions("acronyms", 200))
    linker.link(doc)
    expansions = sum(1 for m in doc.entities if len(m.text.split()) >= 2)
    assert counter.initials == expansions


def test_acronyms_still_take_the_first_expansion(linker):
    doc = _doc([("Badan Usaha Negara", "ORG"), ("Bank Umum Nasional", "ORG"), ("BUN", "ORG")])
    linker.link(doc)
    first, second, acronym = doc.entities
    assert acronym.entity_id == first.entity_id != second.entity_id


def test_a_part_of_a_very_long_name_is_not_a_partial(linker):
    parts = [f"Nama{c}" for c in "bdfklmnprst"]  # 11 parts; runs of more than MAX_PARTIAL_PARTS are not indexed
    long_name = " ".join(parts)
    nine = " ".join(parts[: linker_module.MAX_PARTIAL_PARTS + 1])
    eight = " ".join(parts[: linker_module.MAX_PARTIAL_PARTS])
    doc = _doc([(nine, "PER"), (long_name, "PER"), (eight, "PER")])
    linker.link(doc)
    too_long, full, partial = doc.entities
    assert partial.entity_id == full.entity_id
    assert too_long.entity_id != full.entity_id


NAMES = ["Ahmad", "Fauzi", "Joko", "Widodo", "PBB", "Perserikatan", "Bangsa-Bangsa", "Mesir", "Presiden",
         "أحمد", "وأحمد", "فوزي", "مصر", "the", "U.N.", "Hunter", "Biden", "'s", "al-Sisi", "", "-", "."]


@settings(max_examples=200, deadline=None)
@given(
    mentions=st.lists(
        st.tuples(
            st.lists(st.sampled_from(NAMES) | st.text(max_size=6), min_size=1, max_size=5).map(" ".join),
            st.sampled_from(["PER", "ORG", "LOC", "MISC"]),
        ),
        max_size=12,
    ),
    lang=st.sampled_from(["id", "en", "ar", None]),
)
def test_any_mentions_get_an_id_and_a_name(linker, mentions, lang):
    doc = _doc(mentions, lang)
    linker.link(doc)
    for m in doc.entities:
        assert m.entity_id and " " not in m.entity_id
        assert m.name is not None
