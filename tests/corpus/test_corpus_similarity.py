"""newsloom.corpus.similarity: the fitted document similarity (fast; no shared data needed)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest

from newsloom.corpus.similarity import (
    FEATURES,
    WEIGHTS_PATH,
    CorpusStats,
    SimFeatures,
    SimilarityModel,
    content_words,
    document_similarity,
    load_model,
    pair_features,
    ramps,
    similarity_matrix,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
SEMEVAL = SHARED / "similarity" / "semeval2022-task8-sample"

RNG = np.random.default_rng(7)
DIM = 384


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


# synthetic stand-ins for e5 vectors: every language shares a strong common direction
# (the anisotropy CorpusStats.centre removes), stories differ in a random direction
COMMON = unit(RNG.normal(size=DIM))
LANG_DIR = {lang: unit(RNG.normal(size=DIM)) for lang in ("en", "de", "fr")}


def story_vec(topic: np.ndarray, lang: str, noise: float = 0.05) -> np.ndarray:
    return unit(3.0 * COMMON + 0.5 * LANG_DIR[lang] + topic + noise * RNG.normal(size=DIM))


TEXTS = {
    "quake": (
        "Earthquake strikes northern province",
        (
            "A strong earthquake struck the northern province on Monday, destroying hundreds of houses "
            "and killing at least forty people, rescue officials said."
        ),
    ),
    "quake2": (
        "Rescuers search rubble after northern earthquake",
        (
            "Rescue teams searched collapsed houses in the northern province after Monday's earthquake "
            "killed dozens of people, officials said."
        ),
    ),
    "budget": (
        "Parliament approves budget",
        "Lawmakers approved the annual budget after a long debate over taxes on fuel and tobacco.",
    ),
    "football": (
        "Champions win cup final",
        "The champions won the cup final on penalties after a goalless draw in the capital's stadium.",
    ),
}


def corpus(n_per_lang: int = 30) -> tuple[CorpusStats, dict[str, SimFeatures]]:
    topics = {k: unit(RNG.normal(size=DIM)) * 1.5 for k in TEXTS}
    topics["quake2"] = unit(topics["quake"] + 0.4 * unit(RNG.normal(size=DIM))) * 1.5
    feats = {}
    for k, (title, text) in TEXTS.items():
        feats[k] = SimFeatures(
            vector=story_vec(topics[k], "en"),
            lang="en",
            entity_ids=("Q1",) if k.startswith("quake") else (f"Q-{k}",),
            quantities=(40.0,) if k == "quake" else (),
            words=content_words(title, text),
        )
    stats = CorpusStats(min_docs=20)
    filler_words = ["market", "school", "weather", "health", "travel", "police", "music", "science", "energy"]
    for lang in ("en", "de", "fr"):
        for i in range(n_per_lang):
            stats.add(
                SimFeatures(
                    vector=story_vec(unit(RNG.normal(size=DIM)) * 1.5, lang),
                    lang=lang,
                    words=content_words(
                        None,
                        " ".join(filler_words[(i + j) % 9] for j in range(4))
                        + " people officials said after",
                    ),
                )
            )
    for f in feats.values():
        stats.add(f)
    return stats, feats


STATS, FEATS = corpus()


def test_shipped_weights_load_and_are_well_formed():
    d = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert "fitted" in d and "training" in d["fitted"]  # says where the weights came from
    m = load_model()
    assert isinstance(m, SimilarityModel)
    assert m.parts and m.parts[-1].requires == ()
    assert set(m.features) <= set(FEATURES)
    # every similarity signal may only raise the score (same_lang is a calibration offset)
    for p in m.parts:
        for f, slopes in zip(p.features, p.slopes):
            if f != "same_lang":
                assert all(s >= 0 for s in slopes), (f, slopes)


def test_bad_weights_are_rejected():
    good = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    bad = json.loads(json.dumps(good))
    bad["parts"][0]["features"][0] = "no_such_feature"
    with pytest.raises(ValueError, match="unknown features"):
        SimilarityModel.from_dict(bad)
    bad = json.loads(json.dumps(good))
    bad["parts"][0]["slopes"][0] = bad["parts"][0]["slopes"][0][:-1]
    with pytest.raises(ValueError, match="slopes"):
        SimilarityModel.from_dict(bad)
    bad = json.loads(json.dumps(good))
    bad["parts"] = bad["parts"][:1]
    with pytest.raises(ValueError, match="require nothing"):
        SimilarityModel.from_dict(bad)


def test_identical_documents_score_top():
    f = FEATS["quake"]
    assert document_similarity(f, f, STATS) == pytest.approx(1.0)
    assert document_similarity(f, f) >= 0.9  # no corpus statistics: plain cosine fallback


def test_same_story_above_unrelated_and_range():
    same = document_similarity(FEATS["quake"], FEATS["quake2"], STATS)
    unrelated = [document_similarity(FEATS["quake"], FEATS[k], STATS) for k in ("budget", "football")]
    assert same > max(unrelated) + 0.2
    assert max(unrelated) < 0.5
    for a in FEATS.values():
        for b in FEATS.values():
            s = document_similarity(a, b, STATS)
            assert 0.0 <= s <= 1.0 and math.isfinite(s)


def test_symmetric():
    keys = list(FEATS)
    for i, a in enumerate(keys):
        for b in keys[i:]:
            assert document_similarity(FEATS[a], FEATS[b], STATS) == pytest.approx(
                document_similarity(FEATS[b], FEATS[a], STATS), abs=1e-12
            )
            pa, pb = pair_features(FEATS[a], FEATS[b], STATS), pair_features(FEATS[b], FEATS[a], STATS)
            assert pa.keys() == pb.keys()
            for k in pa:
                assert (pa[k] is None and pb[k] is None) or pa[k] == pytest.approx(pb[k], abs=1e-12)


def test_missing_features_never_crash():
    empty = SimFeatures()
    only_words = SimFeatures(words=FEATS["quake"].words, lang="en")
    only_vec = SimFeatures(vector=FEATS["quake"].vector)
    zero_vec = SimFeatures(vector=np.zeros(DIM, dtype=np.float32), lang="xx")
    for a in (empty, only_words, only_vec, zero_vec, FEATS["quake"]):
        for b in (empty, only_words, only_vec, zero_vec, FEATS["quake2"]):
            for stats in (None, STATS, CorpusStats()):
                s = document_similarity(a, b, stats)
                assert 0.0 <= s <= 1.0
    feats = pair_features(empty, empty, STATS)
    assert all(v is None for v in feats.values())
    # a language without enough documents has no centre: the centred cosine is missing
    assert STATS.centre("xx") is None
    assert pair_features(zero_vec, FEATS["quake"], STATS)["ccos"] is None
    # words still count without vectors
    assert document_similarity(
        only_words, SimFeatures(words=FEATS["quake2"].words, lang="en"), STATS
    ) > document_similarity(only_words, SimFeatures(words=FEATS["football"].words, lang="en"), STATS)


def test_matrix_matches_pairwise():
    xs = list(FEATS.values()) + [SimFeatures(), SimFeatures(words=FEATS["budget"].words)]
    m = similarity_matrix(xs, None, STATS)
    assert m.shape == (len(xs), len(xs))
    for i, a in enumerate(xs):
        for j, b in enumerate(xs):
            assert m[i, j] == pytest.approx(document_similarity(a, b, STATS), abs=1e-9)
    assert np.allclose(m, m.T)


def test_corpus_stats_round_trip_and_centre():
    state = json.loads(json.dumps(STATS.state_dict()))
    again = CorpusStats.from_state(state)
    for a in FEATS.values():
        for b in FEATS.values():
            assert document_similarity(a, b, again) == pytest.approx(
                document_similarity(a, b, STATS), abs=1e-9
            )
    # centring removes the shared direction: unrelated vectors stop looking alike
    f = pair_features(FEATS["quake"], FEATS["budget"], STATS)
    assert f["cos"] > 0.7 and f["ccos"] < 0.4


def test_content_words_are_case_and_accent_free_stems():
    w = content_words("Élections régionales", "Les ÉLECTIONS de 2024 à Paris: 12 élus.")
    assert w["elec"] == 2 and "regi" in w and "pari" in w
    assert "de" not in w  # shorter than min_len
    assert not any(ch.isdigit() for k in w for ch in k)
    assert all(len(k) <= 4 for k in w)
    assert content_words(None, None) == {}
    # the stem length is a parameter: the first version cut at 6 letters
    assert content_words("Élections", None, prefix=6) == {"electi": 1}


def test_saved_stats_with_other_stems_drop_their_document_frequencies():
    state = json.loads(json.dumps(STATS.state_dict()))
    assert not CorpusStats.from_state(state).df_dropped
    old = dict(state)
    del old["words"]  # a state saved by the first version (6-letter stems)
    again = CorpusStats.from_state(old)
    assert again.df_dropped and again.n_docs == 0 and not again.df
    assert again.tfidf(FEATS["quake"].words) is None  # no lookups of mismatched stems
    assert np.allclose(again.centre("en"), STATS.centre("en"))  # the centres stay valid
    # the pair still gets a score, from the part without tf-idf
    assert 0.0 <= document_similarity(FEATS["quake"], FEATS["quake2"], again) <= 1.0


def test_tfidf_is_split_by_language_pair():
    q, q2 = FEATS["quake"], FEATS["quake2"]
    f = pair_features(q, q2, STATS)
    assert f["tfidf"] > 0 and f["tfidf_same"] == f["tfidf"] and f["tfidf_cross"] == 0.0
    other = SimFeatures(vector=q2.vector, lang="de", words=q2.words)
    g = pair_features(q, other, STATS)
    assert g["tfidf_cross"] == pytest.approx(f["tfidf"]) and g["tfidf_same"] == 0.0
    unknown = SimFeatures(vector=q2.vector, lang=None, words=q2.words)
    h = pair_features(q, unknown, STATS)
    assert h["tfidf"] == pytest.approx(f["tfidf"]) and h["tfidf_same"] is None and h["tfidf_cross"] is None
    m = similarity_matrix([q], [q2, other, unknown], STATS)
    for j, b in enumerate((q2, other, unknown)):
        assert m[0, j] == pytest.approx(document_similarity(q, b, STATS), abs=1e-9)


def test_ramps_reproduce_piecewise_linear():
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    r = ramps(x, [0.0, 1.0])
    assert np.allclose(r.sum(axis=1), x)  # slopes of 1 on every segment give x back
    assert np.allclose(r @ np.array([0.0, 1.0, 0.0]), np.clip(x, 0, 1))


@pytest.mark.slow
@pytest.mark.skipif(not SEMEVAL.exists(), reason=f"shared data missing: {SEMEVAL}")
def test_semeval_training_file_beats_plain_cosine(tmp_path):
    """On SemEval training pairs the shipped score correlates better with humans than the cosine."""
    pytest.importorskip("torch")
    spec = importlib.util.spec_from_file_location(
        "semeval_similarity", ROOT / "benchmarks" / "semeval_similarity.py"
    )
    sb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sb)
    rows = [r for r in sb.load_pairs() if r["file"] == "training"][::8]
    feats, stats = sb.build(rows, Path("/tmp/nl-semeval-cache"))["lead400"]
    cols = sb.feature_table(rows, feats, stats)
    ours = np.array([document_similarity(feats[r["text1"]], feats[r["text2"]], stats) for r in rows])
    overall = [r["overall"] for r in rows]
    assert sb.corr(ours, overall)[0] > sb.corr(cols["cos"], overall)[0]
