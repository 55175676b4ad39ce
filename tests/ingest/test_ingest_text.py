"""The plain-text reader: encodings, binary and invalid inputs, too little text."""

from __future__ import annotations

import codecs

import pytest

from newsloom.ingest.text import BINARY, TextReader, decode_bytes
from newsloom.models import Document, Reject

EN = "The harbour council of Veltria met on Monday and agreed a new plan for the old bridge."
FR = "Le maire de Veltria a déclaré « nous avançons » et l’équipe a répondu: “très bien”, café compris."
AR = "قال وزير الخارجية في مدينة فالتيريا إن المحادثات ستستأنف الأسبوع المقبل بعد توقف دام شهرين."
DE = "Die Städte an den Flüssen der fiktiven Provinz wachsen schneller als gedacht, heißt es."


def read(config, data: bytes, source: str = "in.txt") -> list[Document | Reject]:
    return list(TextReader(config).read(source, data))


@pytest.mark.parametrize(
    ("label", "data", "expected"),
    [
        ("utf-8", EN.encode("utf-8"), EN),
        ("utf-8 with BOM", codecs.BOM_UTF8 + FR.encode("utf-8"), FR),
        ("utf-16 with BOM (LE)", FR.encode("utf-16"), FR),
        ("utf-16 with BOM (BE)", codecs.BOM_UTF16_BE + AR.encode("utf-16-be"), AR),
        ("utf-16 LE without BOM", FR.encode("utf-16-le"), FR),
        ("windows-1252 curly quotes", FR.encode("cp1252"), FR),
        ("windows-1256 arabic", AR.encode("cp1256"), AR),
        ("iso-8859-1", DE.encode("iso-8859-1"), DE),
        ("utf-8 arabic", AR.encode("utf-8"), AR),
    ],
)
def test_decodes_each_encoding(config, label, data, expected):
    (doc,) = read(config, data)
    assert isinstance(doc, Document), label
    assert doc.raw == expected
    assert doc.format == "text"
    assert doc.source == "in.txt"


def test_prefers_utf8_when_it_decodes_strictly():
    # Valid UTF-8 that a guesser could read as Latin-1 mojibake.
    data = "Café «Zürich» – naïve résumé".encode()
    assert decode_bytes(data).encoding == "utf-8"


def test_truncated_multibyte_character_at_the_end_is_tolerated():
    data = (FR + " é").encode("utf-8")[:-1]
    decoded = decode_bytes(data)
    assert decoded.text == FR + " "


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj" + bytes(range(256)),
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50 + b"some words",
    ],
    ids=["png", "pdf", "control-bytes"],
)
def test_binary_is_rejected(config, data):
    (rej,) = read(config, data, "picture.txt")
    assert isinstance(rej, Reject)
    assert rej.source == "picture.txt"
    assert rej.reason == BINARY


def test_damaged_utf8_is_rejected_with_position(config):
    good = FR.encode("utf-8")
    at = good.index(b"Veltria")
    data = good[:at] + b"\xff\xfe\xfa" + good[at:] + " ".join([FR] * 3).encode()
    (rej,) = read(config, data, "broken.txt")
    assert isinstance(rej, Reject)
    assert rej.source == "broken.txt"
    assert rej.reason.startswith(f"invalid UTF-8 at byte {at} (0xff)")


def test_bad_utf16_after_bom_is_rejected(config):
    data = codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    (rej,) = read(config, data)
    assert isinstance(rej, Reject)
    assert "UTF-16" in rej.reason


def test_too_little_text(config):
    (rej,) = read(config, b"  Short note.  \n")
    assert isinstance(rej, Reject)
    assert rej.reason == "too little text (10 chars)"


def test_empty(config):
    (rej,) = read(config, b"")
    assert rej.reason == "empty file"
