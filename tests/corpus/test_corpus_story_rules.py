"""Story rules of the calibrated score: link rule, isotonic calibration, the merge round of stories,
and the date the story level used (``Assignment.working_date`` / ``date_source``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures
from newsloom.corpus.pairscore import CorpusCounts, PairSide, StoryModel, load_story_model


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _vector_model(**changes) -> StoryModel:
    """The shipped centres with a vector-only logistic model (P rises with the centred cosine)."""
    shipped = load_story_model()
    m = StoryModel(features=("ccos", "cross", "ccos_cross"), knots={"ccos": (), "cross": (), "ccos_cross": ()},
                   weights={"ccos": (12.0,), "cross": (0.0,), "ccos_cross": (2.0,)}, intercept=-6.0,
                   threshold=0.5, centres=shipped.centres, centre_prior=20.0, aggregate=1)
    return dataclasses.replace(m, **changes)


def _topic_docs(rng, centre, n: int, prefix: str, date: str, spread: float = 0.3):
    dim = len(centre)
    topic = centre + 1.5 * rng.normal(size=dim) / np.sqrt(dim)
    return [DocFeatures(doc_id=f"{prefix}{k}", vector=_unit(topic + spread * rng.normal(size=dim) / np.sqrt(dim)),
                        lang="en", published=date) for k in range(n)]


@pytest.mark.parametrize(("aggregate", "expected"), [(1, 0.9), (2, 0.7), (0, 0.5)])
def test_link_rule_best_member_best_k_or_average(aggregate, expected):
    m = _vector_model(aggregate=aggregate)
    assert m.cluster_prob(np.array([0.1, 0.5, 0.9, 0.5])) == pytest.approx(expected, abs=0.02 if aggregate == 0 else 1e-9)


def test_isotonic_calibration_maps_the_linear_score_monotonically():
    m = _vector_model()
    d = m.to_dict()
    d["calibration"] = {"z": [-2.0, 0.0, 2.0], "p": [0.05, 0.3, 0.95]}
    iso = StoryModel.from_dict(d)
    z = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
    assert iso.calibrate(z).tolist() == pytest.approx([0.05, 0.175, 0.3, 0.625, 0.95])
    assert StoryModel.from_dict(iso.to_dict()).calibration == iso.calibration
    # without a curve the logistic one
    assert m.calibrate(np.array([0.0]))[0] == pytest.approx(0.5)
    d["calibration"] = {"z": [0.0, -1.0], "p": [0.1, 0.2]}
    with pytest.raises(ValueError, match="calibration"):
        StoryModel.from_dict(d)
    d["calibration"] = {"z": [0.0, 1.0], "p": [0.3, 0.2]}
    with pytest.raises(ValueError, match="calibration"):
        StoryModel.from_dict(d)


def test_average_link_of_two_groups_matches_the_pairwise_mean():
    rng = np.random.default_rng(3)
    m = _vector_model()
    centre = m.centres.get("en", m.centres["*"])
    counts = CorpusCounts(m)
    a = [PairSide(vector=d.vector, lang="en") for d in _topic_docs(rng, centre, 3, "a", "2021-01-01")]
    b = [PairSide(vector=d.vector, lang=lang) for d, lang in zip(_topic_docs(rng, centre, 2, "b", "2021-01-01"), ("de", "en"))]
    expected = np.mean(np.concatenate([m.prob(x, b, counts) for x in a]))
    assert m.link_prob(a, b, counts) == pytest.approx(expected)
    # the general path (a model that reads more than the vectors) gives the same for the same weights
    wide = dataclasses.replace(m, features=("ccos", "cross", "ccos_cross", "days"),
                               knots={**m.knots, "days": ()}, weights={**m.weights, "days": (0.0,)})
    assert wide.link_prob(a, b, counts) == pytest.approx(expected)


def _split_then_merge(merge: float):
    """Two batches of one story that a strict join threshold keeps apart: the merge round decides."""
    rng = np.random.default_rng(11)
    m = _vector_model(merge=merge)
    centre = m.centres.get("en", m.centres["*"])
    docs = _topic_docs(rng, centre, 6, "d", "2021-05-01", spread=0.15)
    other = _topic_docs(rng, centre, 3, "x", "2021-05-02")
    c = Clusterer(ClusterParams(story_probability=0.999999), model=m)  # no document joins a story online
    res = c.assign(docs + other)
    return c, res, docs


def test_merge_round_joins_stories_the_online_pass_kept_apart():
    c, res, _ = _split_then_merge(0.0)
    assert len({a.story_id for a in res.assignments if a.doc_id.startswith("d")}) == 6
    c, res, docs = _split_then_merge(0.5)
    stories = {a.doc_id: a.story_id for a in res.assignments}
    assert {stories[f"d{k}"] for k in range(6)} == {"st-d0"}  # the id of the earliest founder
    assert not {stories[f"x{k}"] for k in range(3)} & {"st-d0"}  # another topic stays apart
    assert c.stats["stories_merged"] >= 5
    # events follow their story, merged stories are no longer listed
    summaries = c.summaries("story")
    assert len(summaries) == len(set(stories.values()))
    assert sum(s.size for s in summaries) == len(stories)
    for e in c.summaries("event"):
        assert e.story_id in set(stories.values())
    # the state keeps the merged stories merged, and a later report joins the merged story
    again = Clusterer.from_state(c.state_dict(), ClusterParams(story_probability=0.5))
    assert len(again.summaries("story")) == len(summaries)
    again.model = c.model
    late = DocFeatures(doc_id="e0", vector=docs[0].vector, lang="en", published="2021-05-03")
    assert again.assign([late]).assignments[0].story_id == "st-d0"


def test_merge_round_reports_known_stories_it_renames():
    rng = np.random.default_rng(12)
    m = _vector_model(merge=0.5)
    centre = m.centres.get("en", m.centres["*"])
    docs = _topic_docs(rng, centre, 4, "d", "2021-05-01", spread=0.15)
    c = Clusterer(ClusterParams(story_probability=0.999999), model=m)
    first = c.assign(docs[2:])  # d2, d3: merged into st-d2
    assert {a.story_id for a in first.assignments} == {"st-d2"}
    second = c.assign(docs[:2])  # d0, d1 arrive later but are earlier by doc id: the story becomes st-d0
    assert {a.story_id for a in second.assignments} == {"st-d0"}
    assert second.renamed_stories == {"st-d2": "st-d0"}


@pytest.mark.parametrize(
    ("published", "working", "date", "source"),
    [("2021-03-04", None, "2021-03-04", "published"), (None, "2021-03-05", "2021-03-05", "text"), (None, None, None, None)],
)
def test_assignment_says_which_date_the_story_level_used(published, working, date, source):
    rng = np.random.default_rng(13)
    m = load_story_model()
    d = DocFeatures(doc_id="a", vector=_unit(rng.normal(size=len(m.centres["*"]))), lang="en", published=published,
                    working_date=working)
    a = Clusterer(ClusterParams()).assign([d]).assignments[0]
    assert (a.working_date, a.date_source) == (date, source)


def test_size_penalty_lowers_the_probability_of_a_story_of_many_members():
    rng = np.random.default_rng(14)
    centre = load_story_model().centres.get("en", load_story_model().centres["*"])
    docs = _topic_docs(rng, centre, 9, "d", "2021-05-01", spread=0.3)
    late = {}
    for penalty in (0.0, 0.3):
        c = Clusterer(ClusterParams(), model=_vector_model())
        c.assign(docs[:8])
        assert [s.size for s in c.summaries("story")] == [8]  # one story of 8 members
        c.model = _vector_model(size_penalty=penalty)
        late[penalty] = c.assign(docs[8:]).assignments[0]
    assert late[0.0].story_id == "st-d0" and not late[0.0].new_story
    assert late[0.3].new_story  # 0.3 x ln(8) = 0.62 off: no story reaches 0.5
    with pytest.raises(ValueError, match="size_penalty"):
        StoryModel.from_dict({**_vector_model().to_dict(), "size_penalty": 2.0})
