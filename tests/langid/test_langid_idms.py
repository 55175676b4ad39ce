"""Indonesian vs Malay (issue 15, item 4): placeholders and names are not decisive, the shipped
model is the trainer's output with its licence note, and the cross-validation runs.

Every sentence here is fictional, written for these tests.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from gates import unavailable
from newsloom.langid import idms
from newsloom.langid.detector import LanguageDetector
from newsloom.langid.idms import IdMsClassifier, content_tokens, neutralise, tokens


@pytest.fixture(scope="module")
def clf() -> IdMsClassifier:
    return IdMsClassifier()


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(lingua_margin=0.0)


INDONESIAN = [
    "Pemerintah daerah akan memperbaiki jalan yang rusak karena banjir minggu lalu.",
    "Menurut polisi, kecelakaan itu terjadi karena sopir truk tidak melihat lampu merah.",
    "Harga cabai di pasar tradisional naik hampir dua kali lipat sejak awal bulan ini.",
    "Para mahasiswa meminta kampus menunda kenaikan uang kuliah sampai tahun depan.",
]
MALAY = [
    "Kerajaan negeri akan membaiki jalan yang rosak akibat banjir minggu lepas.",
    "Menurut polis, kemalangan itu berlaku kerana pemandu lori tidak nampak lampu isyarat merah.",
    "Harga barang keperluan di pasar raya naik hampir dua kali ganda sejak awal bulan ini.",
    "Para pelajar meminta universiti menangguhkan kenaikan yuran pengajian sehingga tahun hadapan.",
]
CASES = [("id", t) for t in INDONESIAN] + [("ms", t) for t in MALAY]
# weakly marked (only "cili" and "kali ganda" say Malay): the model calls it Indonesian; kept
# as a known miss, the cross-validated accuracy is about 96% per label, not 100%
HARD_MALAY = "Harga cili di pasar tani naik hampir dua kali ganda sejak awal bulan ini."


@pytest.mark.xfail(reason="known miss of a weakly marked Malay sentence", strict=False)
def test_weakly_marked_malay(clf):
    assert clf.decide(HARD_MALAY).lang == "ms"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Presiden #NE# mengatakan bahwa <NE> akan datang.", "Presiden mengatakan bahwa akan datang."),
        ("Menurut [NAME] dan __PERSON__, harga naik.", "Menurut dan , harga naik."),
        ("Lihat https://contoh.example/berita untuk rincian.", "Lihat untuk rincian."),
        ("Harga #1 di pasar", "Harga #1 di pasar"),  # not a placeholder: a number
    ],
)
def test_placeholders_and_urls_are_neutralised(text, expected):
    assert " ".join(neutralise(text).split()) == expected


def test_names_inside_a_sentence_give_no_features():
    assert content_tokens("Menteri Anwar Ibrahim bertemu Joko Widodo di Jakarta. Polis berkata") == [
        "menteri",
        "bertemu",
        "di",
        "polis",
        "berkata",
    ]
    assert tokens("#NE# datang") == ["datang"]


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_short_sentences_told_apart(clf, detector, lang, text):
    assert clf.decide(text).lang == lang
    assert detector.detect(text).lang == lang


def mask(text: str) -> str:
    words = text.split(" ")
    return " ".join("#NE#" if i and w[:1].isupper() else w for i, w in enumerate(words))


@pytest.mark.parametrize(("lang", "text"), CASES)
def test_names_and_placeholders_are_not_decisive(clf, detector, lang, text):
    """The other country's names, or placeholders where names were, leave the decision as it is."""
    foreign = {
        "id": " kata Datuk Seri Anwar di Kuala Lumpur dan Petaling Jaya.",
        "ms": " kata Joko Widodo di Jakarta Selatan dan Surabaya.",
    }[lang]
    with_names = text.rstrip(".") + "," + foreign
    assert clf.decide(with_names).lang == lang
    assert clf.decide(mask(with_names)).lang == lang
    assert detector.detect(mask(with_names)).lang == lang


def test_shipped_model_carries_its_sources_and_licence():
    path = idms._model_path()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        head = [next(fh) for _ in range(8)]
    text = "".join(head)
    assert "DSLCC" in text and "NTREX-128" in text and "CC BY-SA 4.0" in text
    assert any(line.startswith(idms.BIAS + "\t") for line in head)
    readme = (Path(path).parent / "README.md").read_text(encoding="utf-8")
    assert "DSLCC" in readme and "Zampieri" in readme


@pytest.mark.slow
@pytest.mark.shared
def test_cross_file_accuracy(shared_data: Path, floor):
    """Trained on one DSLCC file (plus the NTREX dev sentences), tested on the other."""
    from newsloom.langid.idms import Markers
    from newsloom.langid.train_idms import DSLCC_FILES, FeatureCache, accuracy, fit, load_dslcc, ntrex_items

    folder = shared_data / "langid" / "dslcc-id-ms"
    if not folder.is_dir() or not (shared_data / "ntrex").is_dir():
        unavailable("shared", f"DSLCC or NTREX not found under {shared_data}")
    markers = Markers()
    v1, v2 = (load_dslcc(folder / f) for f in DSLCC_FILES)
    model = fit(v1 + ntrex_items(shared_data / "ntrex"), FeatureCache(markers))
    acc = accuracy(IdMsClassifier(model, markers), v2)
    assert acc["id"] >= floor("langid.dslcc_cross_id") and acc["ms"] >= floor("langid.dslcc_cross_ms"), acc


@pytest.mark.parametrize("unit", ["a@", "a@b.", "#a", "<a", "_a", "http://", "x"])
def test_neutralise_is_linear(unit):
    """Hostile input (100 KB of near-placeholders or near-addresses) is cleaned in linear time."""
    import time

    text = unit * (100_000 // len(unit)) + "@"
    start = time.perf_counter()
    neutralise(text)
    content_tokens(text)
    assert time.perf_counter() - start < 1.0
