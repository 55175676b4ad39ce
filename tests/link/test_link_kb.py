"""The alias knowledge base: shipped data, lookups, the user JSONL extension, clear errors."""

from __future__ import annotations

import json

import pytest

from newsloom.link.kb import ENTITY_TYPES, KBError, KnowledgeBase, load_user_kb, shipped_entries


def test_shipped_kb_loads_with_unique_ids_and_valid_fields():
    entries = shipped_entries()
    assert len(entries) >= 200
    assert len({e.id for e in entries}) == len(entries)
    assert {e.type for e in entries} <= set(ENTITY_TYPES)
    assert {"PER", "ORG", "LOC"} <= {e.type for e in entries}


def test_shipped_kb_is_multilingual(kb):
    # most entries carry a name in Arabic script besides Latin ones
    with_ar = [e for e in kb.entries.values() if e.aliases.get("ar")]
    assert len(with_ar) / len(kb) > 0.8
    people = [e for e in kb.entries.values() if e.type == "PER"]
    assert len(people) >= 50 and all(
        e.country or e.id in {"antonio-guterres", "tedros-adhanom-ghebreyesus", "ursula-von-der-leyen"}
        for e in people
    )


@pytest.mark.parametrize(
    "alias", ["UN", "U.N.", "PBB", "Perserikatan Bangsa-Bangsa", "الأمم المتحدة", "ONU", "Nations unies"]
)
def test_un_aliases(kb, alias):
    assert [e.id for e in kb.lookup(alias)] == ["united-nations"]


def test_entity_id_and_name(kb):
    e = kb.get("kb:joko-widodo")
    assert e is not None and e.entity_id == "kb:joko-widodo" and e.name == "Joko Widodo"
    assert kb.lookup("جوكو ويدودو")[0] is e
    assert kb.lookup("JOKOWI")[0] is e  # case-folded


def test_short_capital_aliases_match_only_as_written(kb):
    assert [e.id for e in kb.lookup("AP")] == ["associated-press"]
    assert kb.lookup("ap") == []
    assert kb.lookup("Un") == []


def test_shared_alias_returns_every_entry(kb):
    ids = {e.id for e in kb.lookup("RSF")}
    assert ids == {"rapid-support-forces", "reporters-without-borders"}


def _write(tmp_path, rows):
    p = tmp_path / "user_kb.jsonl"
    p.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    return p


def test_user_kb_adds_entries_and_aliases(tmp_path):
    p = _write(
        tmp_path,
        [
            {
                "id": "yayasan-cahaya",
                "type": "ORG",
                "name": "Cahaya Foundation",
                "aliases": {"id": ["Yayasan Cahaya"], "ar": ["مؤسسة كهايا"]},
                "country": "ID",
            },
            "# comments and blank lines are skipped",
            "",
            {
                "id": "united-nations",
                "type": "ORG",
                "name": "United Nations",
                "aliases": {"tl": ["Nagkakaisang Bansa"]},
            },
        ],
    )
    kb = KnowledgeBase.load(p)
    assert kb.lookup("Yayasan Cahaya")[0].id == "yayasan-cahaya"
    assert kb.lookup("مؤسسة كهايا")[0].country == "ID"
    un = kb.lookup("Nagkakaisang Bansa")[0]
    assert un.id == "united-nations"
    assert kb.lookup("PBB")[0] is un  # shipped aliases are kept


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('{"id": "x", "type": "ORG"', "user_kb.jsonl:1: not valid JSON"),
        ({"id": "x", "type": "ORG", "name": "X", "colour": "red"}, "unknown field"),
        ({"id": "x", "type": "PERSON", "name": "X"}, "type 'PERSON'"),
        ({"id": "Bad Id", "type": "ORG", "name": "X"}, "id 'Bad Id'"),
        ({"id": "x", "type": "ORG"}, "'name'"),
        ({"id": "x", "type": "ORG", "name": "X", "aliases": ["X"]}, "'aliases'"),
        ({"id": "x", "type": "ORG", "name": "X", "aliases": {"en": [""]}}, "aliases['en']"),
        ({"id": "x", "type": "ORG", "name": "X", "country": "Egypt"}, "country 'Egypt'"),
    ],
)
def test_bad_user_kb_names_the_line_and_problem(tmp_path, row, message):
    p = _write(tmp_path, [row])
    with pytest.raises(KBError) as err:
        load_user_kb(p)
    assert message in str(err.value)
    assert "user_kb.jsonl:1" in str(err.value)


def test_missing_user_kb_is_a_clear_error(tmp_path):
    with pytest.raises(KBError, match="does not exist"):
        KnowledgeBase.load(tmp_path / "nope.jsonl")
