"""Exact and near-duplicate copies: newsloom.corpus.copies."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("datasketch", reason="datasketch is in the 'embedding' extra")

from newsloom.corpus.copies import (
    CopyIndex,
    CopyInput,
    find_copies,
    normalise_text,
    shingles,
)

VOCAB = [f"w{i}" for i in range(2000)]


def article(seed: int, words: int = 250) -> str:
    rng = random.Random(seed)
    sents = []
    while sum(len(s.split()) for s in sents) < words:
        sents.append(" ".join(rng.choice(VOCAB) for _ in range(rng.randint(8, 20))).capitalize() + ".")
    return " ".join(sents)


def clutter(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(["Share", "Tweet", "Subscribe", "Read", "more", "Advertisement", "Cookie",
                                "policy", "Related", "stories"]) for _ in range(25))


def doc(doc_id, text, published="2024-05-01T10:00:00", lang="en", publisher="a.example"):
    return CopyInput(doc_id=doc_id, text=text, lang=lang, published=published, publisher=publisher)


def decisions(ds):
    return {d.doc_id: d.duplicate_of for d in ds}


def test_exact_copy_points_to_earliest_published():
    text = article(1)
    ds = find_copies([doc("late", text, "2024-05-02T09:00:00", publisher="b.example"),
                      doc("early", text, "2024-05-01T09:00:00", publisher="a.example")], CopyIndex())
    by = {d.doc_id: d for d in ds}
    assert by["early"].duplicate_of is None
    assert by["late"].duplicate_of == "early"
    assert by["late"].kind == "exact"
    assert by["late"].syndicated is True


def test_syndicated_copy_with_clutter_is_near_duplicate():
    text = article(2)
    syndicated = "Home | World | Sport\n" + text.replace(". ", ".\n", 3) + "\n" + clutter(3)
    ds = find_copies([doc("orig", text, "2024-05-01"), doc("synd", syndicated, "2024-05-01T12:00", publisher="b")],
                     CopyIndex())
    by = {d.doc_id: d for d in ds}
    assert by["synd"].duplicate_of == "orig"
    assert by["synd"].kind == "near"
    assert 0.7 <= by["synd"].similarity < 1.0


def test_different_articles_are_not_copies():
    ds = find_copies([doc(f"d{i}", article(100 + i)) for i in range(20)], CopyIndex())
    assert all(d.duplicate_of is None for d in ds)


def test_same_text_in_another_language_label_is_not_a_copy():
    text = article(4)
    ds = find_copies([doc("en1", text, lang="en"), doc("de1", text, lang="de", published="2024-05-02")], CopyIndex())
    assert decisions(ds) == {"en1": None, "de1": None}


def test_shuffled_batch_gives_same_decisions():
    base = [article(10 + i) for i in range(5)]
    docs = []
    for i, text in enumerate(base):
        for j in range(4):
            docs.append(doc(f"d{i}-{j}", text + (" " + clutter(j) if j else ""), f"2024-05-0{j + 1}T08:00",
                            publisher=f"p{j}"))
    expected = decisions(find_copies(docs, CopyIndex()))
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert decisions(find_copies(shuffled, CopyIndex())) == expected
    assert expected["d3-2"] == "d3-0"


def test_earlier_copy_arriving_later_repoints_the_group():
    text = article(5)
    index = CopyIndex()
    first = find_copies([doc("b", text, "2024-05-02"), doc("c", text, "2024-05-03")], index)
    assert decisions(first) == {"b": None, "c": "b"}
    later = find_copies([doc("a", text, "2024-05-01")], index)
    assert decisions(later) == {"a": None, "b": "a", "c": "a"}
    assert later[0].doc_id == "a"  # the new document's own decision comes first
    assert index.original_of("c") == "a"


def test_state_round_trip_keeps_finding_copies():
    text = article(6)
    index = CopyIndex()
    find_copies([doc("x", text, "2024-05-01"), doc("y", article(7), "2024-05-01")], index)
    state = index.state_dict()
    assert all(isinstance(row["signature"], bytes) for row in state["docs"])
    restored = CopyIndex.from_state(state)
    assert len(restored) == 2
    ds = find_copies([doc("z", text + " " + clutter(8), "2024-05-04", publisher="c")], restored)
    assert decisions(ds) == {"z": "x"}


def test_state_version_is_checked():
    with pytest.raises(ValueError, match="version"):
        CopyIndex.from_state({"version": 999, "params": {}, "docs": []})


@pytest.mark.parametrize("text", ["", "   ", "!!! ...", "\n\t"])
def test_empty_text_gets_a_reason_not_a_crash(text):
    (d,) = find_copies([doc("e", text)], CopyIndex())
    assert d.duplicate_of is None
    assert d.reason == "empty_text"


def test_one_word_texts_match_only_exactly():
    ds = find_copies([doc("a", "Breaking", "2024-05-01"), doc("b", "breaking!", "2024-05-02"),
                      doc("c", "Update", "2024-05-03")], CopyIndex())
    assert decisions(ds) == {"a": None, "b": "a", "c": None}


def test_text_without_spaces_uses_character_shingles():
    norm = normalise_text("这是一个没有空格的很长的中文句子用来测试字符级别的切分方法是否有效")
    sh = shingles(norm, 5)
    assert all(len(s) == 5 for s in sh) and len(sh) > 10


def test_reindexing_a_known_document_is_idempotent():
    index = CopyIndex()
    find_copies([doc("a", article(9))], index)
    (d,) = find_copies([doc("a", article(9))], index)
    assert d.reason == "already_indexed"
    assert len(index) == 1


def test_undated_copies_sort_after_dated_ones():
    text = article(11)
    ds = find_copies([doc("aaa", text, None), doc("zzz", text, "2024-05-01")], CopyIndex())
    assert decisions(ds) == {"zzz": None, "aaa": "zzz"}


def test_a_trimmed_republication_is_a_near_copy_by_containment():
    """An outlet republishes an article with its last paragraphs cut: Jaccard falls below the
    threshold, but the copy is almost wholly contained in the original."""
    words = [f"kata{i}" for i in range(400)]
    original = " ".join(words)
    trimmed = " ".join(words[:250]) + " tambahan redaksi kami"
    index = CopyIndex()
    first = find_copies([CopyInput(doc_id="a", text=original, lang="id", published="2021-03-04")], index)
    second = find_copies([CopyInput(doc_id="b", text=trimmed, lang="id", published="2021-03-05")], index)
    assert first[0].duplicate_of is None
    assert second[0].duplicate_of == "a"
    # restored from its saved state, the index still knows the sizes
    again = CopyIndex.from_state(index.state_dict())
    third = find_copies([CopyInput(doc_id="c", text=" ".join(words[:240]), lang="id", published="2021-03-06")], again)
    assert third[0].duplicate_of == "a"


def test_short_texts_are_not_copies_by_containment():
    index = CopyIndex()
    long_text = " ".join(f"w{i}" for i in range(300))
    find_copies([CopyInput(doc_id="a", text=long_text, lang="en")], index)
    short = " ".join(f"w{i}" for i in range(30))
    [d] = find_copies([CopyInput(doc_id="b", text=short, lang="en")], index)
    assert d.duplicate_of is None
