"""The ``link`` stage: contract, configuration, bad input, bounded work."""

from __future__ import annotations

import json

from newsloom.config import load_config
from newsloom.link import linker as linker_module
from newsloom.link.stage import EntityLinker
from newsloom.link.translit import fold
from newsloom.models import Document, EntityMention


def _doc(text: str, lang: str, mentions: list[tuple[str, str]]) -> Document:
    doc = Document(source="t", raw=text, text=text, lang=lang)
    pos = 0
    for surface, typ in mentions:
        start = text.index(surface, pos)
        doc.entities.append(EntityMention(start=start, end=start + len(surface), text=surface, type=typ))
        pos = start + len(surface)
    return doc


def test_stage_contract():
    assert EntityLinker.name == "link"
    assert EntityLinker.requires == ("entities", "lang")
    assert EntityLinker.provides == ("entities.entity_id", "entities.name")


def test_stage_links_a_batch_and_counts(config):
    stage = EntityLinker(config)
    docs = [
        _doc(
            "Presiden Jokowi bertemu Sekjen PBB di Mesir.",
            "id",
            [("Presiden Jokowi", "PER"), ("PBB", "ORG"), ("Mesir", "LOC")],
        ),
        _doc("No entities here.", "en", []),
        _doc("Ahmad Fauzi said.", "en", [("Ahmad Fauzi", "PER")]),
    ]
    stage(docs)
    assert [(m.entity_id, m.name) for m in docs[0].entities] == [
        ("kb:joko-widodo", "Joko Widodo"),
        ("kb:united-nations", "United Nations"),
        ("geo:EG", "Egypt"),
    ]
    assert docs[2].entities[0].entity_id.startswith("per:")
    assert stage.stats["mentions"] == 4
    assert stage.stats["linked_kb"] == 2 and stage.stats["linked_geo"] == 1 and stage.stats["linked_per"] == 1


def test_link_section_in_config_and_user_kb(tmp_path):
    user = tmp_path / "kb.jsonl"
    row = {
        "id": "yayasan-cahaya",
        "type": "ORG",
        "name": "Cahaya Foundation",
        "aliases": {"id": ["Yayasan Cahaya"]},
    }
    user.write_text(json.dumps(row) + "\n", encoding="utf-8")
    cfg = load_config(overrides={"link": {"user_kb": str(user)}})
    assert cfg.link.user_kb == str(user)
    assert load_config().link.user_kb == ""
    stage = EntityLinker(cfg)
    doc = _doc("Relawan Yayasan Cahaya tiba.", "id", [("Yayasan Cahaya", "ORG")])
    stage([doc])
    assert doc.entities[0].entity_id == "kb:yayasan-cahaya"
    assert doc.entities[0].name == "Cahaya Foundation"


def test_bad_document_is_rejected_and_the_batch_goes_on(config):
    stage = EntityLinker(config)
    bad = Document(source="bad", raw="x", text="x", lang="en")
    bad.entities.append(EntityMention(start=0, end=1, text=None, type="PER"))  # type: ignore[arg-type]
    good = _doc("UNICEF warned.", "en", [("UNICEF", "ORG")])
    stage([bad, good])
    assert bad.rejected and bad.rejected.startswith("link:")
    assert stage.stats["dropped_link_error"] == 1
    assert good.entities[0].entity_id == "kb:unicef"


def test_odd_mentions_get_stable_ids(linker):
    text = "٢٠٢١ ... Jakartaجاكرتا " + "x" * 100_000
    doc = _doc(
        text, "und", [("٢٠٢١", "MISC"), ("...", "ORG"), ("Jakartaجاكرتا", "LOC"), ("x" * 100_000, "PER")]
    )
    linker.link(doc)
    again = _doc(
        text, "und", [("٢٠٢١", "MISC"), ("...", "ORG"), ("Jakartaجاكرتا", "LOC"), ("x" * 100_000, "PER")]
    )
    linker.link(again)
    for a, b in zip(doc.entities, again.entities):
        assert a.entity_id and a.name and a.entity_id == b.entity_id
        assert " " not in a.entity_id


def test_partial_name_work_grows_with_distinct_names_not_mentions(linker, monkeypatch):
    calls = {"n": 0}
    real = linker_module._shorter_runs

    def counting(names):
        for run in real(names):
            calls["n"] += 1
            yield run

    monkeypatch.setattr(linker_module, "_shorter_runs", counting)
    parts = []
    mentions = []
    consonants = "bdfklmnprstz"
    for i in range(300):
        given = "A" + consonants[i % 12] + "a" + consonants[(i // 12) % 12] + "i" + consonants[i // 144]
        name = f"{given} Fauzi"
        parts += [name, "Fauzi"]
        mentions += [(name, "PER"), ("Fauzi", "PER")]
    text = " . ".join(parts)
    doc = _doc(text, "id", mentions)
    linker.link(doc)
    assert all(m.entity_id for m in doc.entities)
    # the 300 "Fauzi" mentions resolve to the nearest full name before each
    fulls = doc.entities[0::2]
    shorts = doc.entities[1::2]
    assert [s.entity_id for s in shorts] == [f.entity_id for f in fulls]
    # each two-part name is indexed by its two one-part runs, once for clitics and once for partials:
    # no name is compared with every other one
    assert 0 < calls["n"] <= 2 * 2 * 300


def test_arabic_clitic_variants_keep_or_restore_the_article(linker):
    variants = linker._clitic_variants(fold("للأمم المتحدة"))
    assert fold("الأمم المتحدة") in variants
    assert fold("القاهرة") in linker._clitic_variants(fold("وبالقاهرة"))
    # the bare article is never taken off: "the main" is not the name Raisi
    assert fold("رئيسي") not in linker._clitic_variants(fold("الرئيسي"))
    assert linker._clitic_variants("jakarta") == []
