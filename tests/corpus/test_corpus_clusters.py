"""Online event/story clustering: newsloom.corpus.clusters (synthetic vectors, no encoder needed)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures, bcubed, number_values
from newsloom.store.state import dumps as state_dumps
from newsloom.store.state import loads as state_loads

DIM = 48
# Documented tolerance (module docstring): pairwise B-cubed F1 between one sorted batch and
# shuffled batches of 20.
ORDER_TOLERANCE_F1 = 0.9


def unit(v):
    return (v / np.linalg.norm(v)).astype(np.float32)


def corpus(n_topics=12, per_topic=8, noise=0.35, seed=0, days_apart=10):
    """Topics with a centre vector, each on its own day; members = centre + noise."""
    rng = np.random.default_rng(seed)
    docs, gold = [], {}
    start = date(2024, 1, 1)
    for t in range(n_topics):
        centre = rng.normal(size=DIM)
        day = start + timedelta(days=days_apart * t)
        for j in range(per_topic):
            doc_id = f"t{t:02d}-{j:02d}"
            v = unit(centre / np.linalg.norm(centre) + noise * rng.normal(size=DIM) / np.sqrt(DIM))
            lang = ["en", "de", "ar", "id"][j % 4]
            docs.append(DocFeatures(doc_id=doc_id, vector=v, lang=lang,
                                    published=(day + timedelta(hours=j)).isoformat(),
                                    publisher=f"outlet{j % 3}.example", title=f"topic {t} report {j} ({lang})"))
            gold[doc_id] = f"t{t}"
    return docs, gold


PARAMS = ClusterParams(event_threshold=0.8, story_threshold=0.6)


def events(result):
    return {a.doc_id: a.event_id for a in result.assignments}


def test_recovers_synthetic_events():
    docs, gold = corpus()
    res = Clusterer(PARAMS).assign(docs)
    p, r, f = bcubed(events(res), gold)
    assert f >= 0.95, (p, r, f)
    assert len(res.assignments) == len(docs)


def test_shuffled_single_batch_is_identical():
    docs, _ = corpus(seed=1)
    expected = events(Clusterer(PARAMS).assign(docs))
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert events(Clusterer(PARAMS).assign(shuffled)) == expected


def test_shuffled_mini_batches_stay_within_tolerance():
    docs, _ = corpus(seed=2)
    reference = events(Clusterer(PARAMS).assign(docs))
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        cl = Clusterer(PARAMS)
        got = {}
        for i in range(0, len(shuffled), 20):
            res = cl.assign(shuffled[i : i + 20])
            for old, new in res.renamed_events.items():
                got = {k: (new if v == old else v) for k, v in got.items()}
            got.update(events(res))
        assert bcubed(got, reference)[2] >= ORDER_TOLERANCE_F1


def test_event_id_comes_from_earliest_member_and_renames_are_reported():
    v = unit(np.ones(DIM))
    cl = Clusterer(PARAMS)
    first = cl.assign([DocFeatures(doc_id="b", vector=v, published="2024-03-02"),
                       DocFeatures(doc_id="c", vector=v, published="2024-03-03")])
    assert {a.event_id for a in first.assignments} == {"ev-b"}
    later = cl.assign([DocFeatures(doc_id="a", vector=v, published="2024-03-01")])
    assert later.assignments[0].event_id == "ev-a"
    assert later.renamed_events == {"ev-b": "ev-a"}
    assert later.renamed_stories == {"st-b": "st-a"}


def test_date_window_splits_events_but_not_stories():
    v = unit(np.arange(1, DIM + 1, dtype=float))
    res = Clusterer(ClusterParams(event_threshold=0.8, story_threshold=0.6, story_window_days=30.0)).assign([
        DocFeatures(doc_id="x1", vector=v, published="2024-03-01"),
        DocFeatures(doc_id="x2", vector=v, published="2024-03-12"),
        DocFeatures(doc_id="x3", vector=v, published="2024-06-30"),
    ])
    by = {a.doc_id: a for a in res.assignments}
    assert by["x1"].event_id != by["x2"].event_id
    assert by["x1"].story_id == by["x2"].story_id  # 11 days: within the story window
    assert by["x3"].story_id != by["x1"].story_id  # past the story window: a new story


def test_shared_entities_tip_a_borderline_document_in():
    rng = np.random.default_rng(5)
    a = unit(rng.normal(size=DIM))
    b = unit(a + 0.95 * unit(rng.normal(size=DIM)))
    cos = float(a @ b)
    params = ClusterParams(event_threshold=cos + 0.05, story_threshold=0.0, entity_weight=0.15, link_min=0.0,
                           quantity_absent=2.0, min_cosine=0.0)
    with_ents = Clusterer(params).assign([
        DocFeatures(doc_id="a", vector=a, entity_ids=("Q1", "Q2")),
        DocFeatures(doc_id="b", vector=b, entity_ids=("Q1", "Q2", "Q3")),
    ])
    without = Clusterer(params).assign([DocFeatures(doc_id="a", vector=a), DocFeatures(doc_id="b", vector=b)])
    assert len(set(events(with_ents).values())) == 1
    assert len(set(events(without).values())) == 2


def test_pairwise_check_keeps_a_document_far_from_one_member_out():
    """A reaction sits between the event's reports: near their centroid, far from one of them."""
    rng = np.random.default_rng(7)
    a = unit(rng.normal(size=DIM))
    b = unit(a + 0.6 * unit(rng.normal(size=DIM)))
    c = unit(a + b)  # close to the centroid of a and b
    c = unit(c + 0.45 * unit(b - a))  # ... and pushed towards b, away from a
    to_centroid, to_a = float(c @ unit(a + b)), float(c @ a)
    assert to_centroid > 0.9 > to_a
    docs = [DocFeatures(doc_id=k, vector=v, published=f"2024-06-0{i + 1}") for i, (k, v) in enumerate(zip("abc", (a, b, c)))]
    base = {"event_threshold": min(float(a @ b), to_centroid) - 0.01, "story_threshold": 0.0}
    assert len(set(events(Clusterer(ClusterParams(**base, link_min=0.0)).assign(docs)).values())) == 1
    cl = Clusterer(ClusterParams(**base, link_min=(to_a + float(a @ b)) / 2))
    res = events(cl.assign(docs))
    assert res["a"] == res["b"] != res["c"]
    assert cl.stats["link_refused"] == 1


def test_story_level_has_its_own_weights():
    """Two events of one story share few figures: the quantity penalty applies only at the event level."""
    rng = np.random.default_rng(8)
    a = unit(rng.normal(size=DIM))
    b = unit(a + 0.5 * unit(rng.normal(size=DIM)))
    cos = float(a @ b)
    docs = [DocFeatures(doc_id="a", vector=a, quantities=(100.0, 200.0), published="2024-07-01"),
            DocFeatures(doc_id="b", vector=b, quantities=(300.0, 400.0), published="2024-07-03")]
    common = {"event_threshold": 0.99, "story_threshold": cos - 0.01, "quantity_weight": 0.3, "link_min": 0.0,
              "story_probability": 0.0}  # the centroid-cosine story score (the calibrated one: test_corpus_pairscore)
    same = Clusterer(ClusterParams(**common, story_quantity_weight=0.0)).assign(docs)
    assert len({a.story_id for a in same.assignments}) == 1
    apart = Clusterer(ClusterParams(**common, story_quantity_weight=0.3)).assign(docs)
    assert len({a.story_id for a in apart.assignments}) == 2


def test_small_numbers_below_quantity_min_are_not_compared():
    """Two reports share their large numbers; one spells out a small number, the other writes it."""
    rng = np.random.default_rng(6)
    a = unit(rng.normal(size=DIM))
    b = unit(a + 0.5 * unit(rng.normal(size=DIM)))
    cos = float(a @ b)
    docs = [DocFeatures(doc_id="a", vector=a, quantities=(832.0, 7.5, 3.0, 2.0)),
            DocFeatures(doc_id="b", vector=b, quantities=(832.0, 7.5))]
    base = {"event_threshold": cos + 0.05, "story_threshold": 0.0, "quantity_weight": 0.2,
            "quantity_neutral": 0.5, "link_min": 0.0}
    # all four numbers: Jaccard 0.5 is neutral, the cosine alone is below the threshold
    assert len(set(events(Clusterer(ClusterParams(**base, quantity_min=0.0)).assign(docs)).values())) == 2
    # 3 and 2 left out: the numbers agree and lift the score
    joined = Clusterer(ClusterParams(**base, quantity_min=5.0)).assign(docs)
    assert len(set(events(joined).values())) == 1


def test_number_values_are_the_same_in_every_local_format():
    en = number_values("Floods kill 12", "12,500 displaced; aid worth $1.2 billion")
    de = number_values("Flut: 12 Tote", "12.500 Vertriebene; Hilfe von 1,2 Milliarden Dollar")
    ar = number_values("١٢ قتيلا", "١٢٬٥٠٠ نازح و1٫2 مليار دولار")
    assert en == de == ar == (1.0, 2.0, 12.0, 500.0)
    assert number_values(None, None) == ()
    assert number_values("", "9" * 40 + " 7") == (7.0,)  # runs too long for a figure are skipped
    assert number_values("", "a 1 b 22 c 333", max_chars=8) == (1.0, 22.0)  # only the head is read


def test_quantity_terms_for_shared_neutral_and_absent_numbers():
    rng = np.random.default_rng(9)
    a = unit(rng.normal(size=DIM))
    b = unit(a + 0.5 * unit(rng.normal(size=DIM)))
    cos = float(a @ b)
    base = {"event_threshold": cos + 0.05, "story_threshold": 0.0, "quantity_weight": 0.5, "quantity_min": 0.0,
            "link_min": 0.0, "quantity_absent": 2.0}

    def n_events(qa, qb, **kw):
        docs = [DocFeatures(doc_id="a", vector=a, quantities=qa), DocFeatures(doc_id="b", vector=b, quantities=qb)]
        return len(set(events(Clusterer(ClusterParams(**{**base, **kw})).assign(docs)).values()))

    # Jaccard 1/3: below a neutral point of 0.5 it lowers the score, above 0.25 it lifts it
    assert n_events((1.0, 2.0), (2.0, 3.0), quantity_neutral=0.5) == 2
    assert n_events((1.0, 2.0), (2.0, 3.0), quantity_neutral=0.25) == 1
    # no numbers on either side: no term, unless quantity_absent gives them an assumed Jaccard
    assert n_events((), ()) == 2
    assert n_events((), (), quantity_absent=0.5, quantity_neutral=0.25) == 1
    # numbers on one side only: never the assumed value
    assert n_events((1.0,), (), quantity_absent=0.5, quantity_neutral=0.25) == 2


def test_shared_figures_alone_do_not_join_unrelated_reports():
    """Two reports about different things that both state only "2021" and "30"."""
    rng = np.random.default_rng(10)
    a = unit(rng.normal(size=DIM))
    b = unit(rng.normal(size=DIM))
    assert abs(float(a @ b)) < 0.5
    docs = [DocFeatures(doc_id="a", vector=a, quantities=(2021.0, 30.0), published="2024-08-01"),
            DocFeatures(doc_id="b", vector=b, quantities=(2021.0, 30.0), published="2024-08-01")]
    loose = ClusterParams(quantity_weight=1.0, event_threshold=0.6, min_cosine=0.0, story_probability=0.0)
    assert len(set(events(Clusterer(loose).assign(docs)).values())) == 1  # what the floor prevents
    assert len(set(events(Clusterer(ClusterParams()).assign(docs)).values())) == 2


def test_all_copies_of_one_article_form_one_event_with_english_title():
    v = unit(np.ones(DIM))
    docs = [DocFeatures(doc_id=f"c{i}", vector=v, lang=lang, published="2024-04-01", publisher=f"p{i}",
                        title=f"title in {lang}")
            for i, lang in enumerate(["de", "fr", "en", "ar", "en", "id"])]
    cl = Clusterer(PARAMS)
    res = cl.assign(docs)
    assert len(set(events(res).values())) == 1
    (summary,) = cl.summaries("event")
    assert summary.title == "title in en"
    assert summary.size == 6
    assert summary.languages == ["ar", "de", "en", "fr", "id"]
    assert summary.publishers == [f"p{i}" for i in range(6)]
    assert summary.first_published == summary.last_published == "2024-04-01"
    (story,) = cl.summaries("story")
    assert summary.story_id == story.cluster_id


def test_zero_vectors_from_empty_texts_do_not_crash_or_merge():
    z = np.zeros(DIM, dtype=np.float32)
    res = Clusterer(PARAMS).assign([DocFeatures(doc_id="e1", vector=z, title=""),
                                    DocFeatures(doc_id="e2", vector=z, title=None),
                                    DocFeatures(doc_id="w", vector=unit(np.ones(DIM)), title="Word")])
    assert len(set(events(res).values())) == 3


def test_ten_thousand_documents_with_the_same_title_are_bounded_in_work():
    v = unit(np.ones(DIM))
    n = 10_000
    docs = [DocFeatures(doc_id=f"d{i:05d}", vector=v, lang="en", published=f"2024-05-{1 + i % 3:02d}",
                        publisher=f"p{i % 50}", title="Same title") for i in range(n)]
    cl = Clusterer(PARAMS)
    res = cl.assign(docs)
    assert len(set(events(res).values())) == 1
    # each document is scored against at most one event and, when it opens one, a few stories
    assert cl.stats["comparisons"] <= 2 * n
    state = cl.state_dict()
    (ev,) = state["events"]
    assert len(ev["titles"]) <= PARAMS.title_candidates
    assert len(ev["publishers"]) == 50
    assert len(ev["members"]) == PARAMS.max_members  # the pairwise check compares a bounded set


def test_state_round_trip_continues_like_an_uninterrupted_run():
    docs, _ = corpus(seed=3)
    first, second = docs[: len(docs) // 2], docs[len(docs) // 2 :]
    straight = Clusterer(PARAMS)
    straight.assign(first)
    expected = events(straight.assign(second))
    saved = Clusterer(PARAMS)
    saved.assign(first)
    state = saved.state_dict()
    assert PARAMS.link_min > 0 and all(ev["members"] for ev in state["events"])
    restored = Clusterer.from_state(state_loads(state_dumps(state)))  # as the store keeps it: JSON
    assert events(restored.assign(second)) == expected
    assert [s.title for s in restored.summaries()] == [s.title for s in straight.summaries()]


def test_wrong_vector_size_is_a_clear_error():
    cl = Clusterer(PARAMS)
    cl.assign([DocFeatures(doc_id="a", vector=unit(np.ones(DIM)))])
    with pytest.raises(ValueError, match="'b'.*dims"):
        cl.assign([DocFeatures(doc_id="b", vector=np.ones(DIM + 1, dtype=np.float32))])


def test_bad_params_are_rejected():
    with pytest.raises(ValueError, match="event_threshold"):
        ClusterParams(event_threshold=-1)


def test_bcubed_on_known_partitions():
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert p == 1.0 and r == pytest.approx((0.5 + 0.5 + 1) / 3)
