"""A generator of hostile inputs for the readers (issue 13).

Each ``write_*`` function writes one kind of malformed input into a folder and returns what
reading it must give: the ``Expect`` rows (one reject with a reason, and/or documents still
read). ``write_all`` writes every kind into one folder. Used by ``test_ingest_hostile.py``;
handy by hand too::

    python -c "import sys; sys.path.insert(0, 'tests/ingest'); import hostile; hostile.write_all('/tmp/h')"
"""

from __future__ import annotations

import gzip
import json
import os
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BODY = "The harbour council of Veltria met on Monday and agreed a new plan for the old bridge."
PAGE = f"<!DOCTYPE html><html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"
DEEP = 100_000  # nesting depth of the deep inputs
BOMB = 100_000_000  # bytes a decompression bomb expands to (over the 20 MB default cap)
LIMIT_REASON = "over the 20.0 MB limit (ingest.max_file_bytes)"


@dataclass(frozen=True, slots=True)
class Expect:
    """What one input must give: a reject (``reason`` is a part of its text) and/or documents.

    ``source`` is the name as it must be shown (escaped when the real name is not printable);
    documents are matched by it too (``source``, ``source:line`` or ``source#uri``).
    """

    source: str
    reason: str | None = None
    line: int | None = None
    docs: int = 0


Writer = Callable[[Path], list[Expect]]


def _write(path: Path | bytes, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def _line(text: str = BODY, **fields: object) -> str:
    return json.dumps({"text": text, **fields})


def _jsonl_around(folder: Path, name: str, bad_line: str, reason: str) -> list[Expect]:
    """A JSON Lines file: a good line, the bad one, two more good lines (all but the bad one read)."""
    path = folder / name
    lines = [_line(title="first"), bad_line, _line(title="third"), _line(title="fourth")]
    _write(path, ("\n".join(lines) + "\n").encode())
    return [Expect(str(path), reason, line=2, docs=3)]


# -- JSON ------------------------------------------------------------------------------------
def write_deep_jsonl_line(folder: Path) -> list[Expect]:
    deep = '{"text": ' + "[" * DEEP + "]" * DEEP + "}"
    return _jsonl_around(folder, "deep-line.jsonl", deep, "JSON nested deeper than 100 levels")


def write_deep_json_file(folder: Path) -> list[Expect]:
    """A ``.json`` file (no reader of its own: sniffed as JSON Lines) nested 100,000 deep."""
    path = folder / "deep.json"
    _write(path, ('{"a": ' * DEEP + "1" + "}" * DEEP).encode())
    return [Expect(str(path), "JSON nested deeper than 100 levels", line=1)]


def write_lone_surrogate_text(folder: Path) -> list[Expect]:
    bad = '{"text": "' + BODY + ' \\ud800 and on."}'
    return _jsonl_around(folder, "surrogate-text.jsonl", bad, "field 'text' has a lone surrogate (\\ud800")


def write_lone_surrogate_title(folder: Path) -> list[Expect]:
    bad = '{"text": "' + BODY + '", "title": "Bad \\udfff title"}'
    return _jsonl_around(folder, "surrogate-title.jsonl", bad, "field 'title' has a lone surrogate (\\udfff")


def write_huge_number(folder: Path) -> list[Expect]:
    bad = '{"text": "' + BODY + '", "views": ' + "7" * 5000 + "}"
    return _jsonl_around(folder, "digits.jsonl", bad, "bad JSON: a number with more than 4300 digits")


def write_long_jsonl_line(folder: Path) -> list[Expect]:
    """One 10 MB line: read, in bounded time."""
    path = folder / "long-line.jsonl"
    _write(path, (_line(text=(BODY + " ") * 115_000) + "\n").encode())
    return [Expect(str(path), docs=1)]


# -- file names ------------------------------------------------------------------------------
def write_non_utf8_names(folder: Path) -> list[Expect]:
    """Names that are not UTF-8: read (or rejected) under an escaped name."""
    good = os.fsencode(folder) + b"/bad-\xff\xfe-name.txt"
    binary = os.fsencode(folder) + b"/bin-\xc3.dat"
    _write(good, BODY.encode())
    _write(binary, random.Random(1).randbytes(4096))
    return [
        Expect(f"{folder}/bad-\\xff\\xfe-name.txt", docs=1),
        Expect(f"{folder}/bin-\\xc3.dat", "binary file, not text"),
    ]


def write_control_char_names(folder: Path) -> list[Expect]:
    """A newline, an ANSI colour escape and a right-to-left override in names."""
    _write(folder / "new\nline\x1b[31mred.txt", BODY.encode())
    _write(folder / "rtl\u202etxt.exe.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return [
        Expect(f"{folder}/new\\nline\\x1b[31mred.txt", docs=1),
        Expect(f"{folder}/rtl\\u202etxt.exe.html", "binary file, not text"),
    ]


# -- text and HTML ---------------------------------------------------------------------------
def write_nul_in_html(folder: Path) -> list[Expect]:
    """One NUL byte in a text page is dropped; a real binary named .html stays rejected."""
    path = folder / "nul.html"
    _write(path, PAGE.replace("old bridge", "old\x00 bridge", 1).encode())
    binary = folder / "image.html"
    _write(binary, b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(2048))
    return [Expect(str(path), docs=1), Expect(str(binary), "binary file, not text")]


def write_deep_html(folder: Path) -> list[Expect]:
    """Read by the reader, rejected by the HTML stage (libxml2 drops what is deeper than 256)."""
    path = folder / "deep.html"
    _write(path, ("<html><body>" + "<div>" * DEEP + f"<p>{BODY}</p>" + "</div>" * DEEP).encode())
    return [Expect(str(path), "HTML nested deeper than 256 elements", docs=1)]


def write_long_line_and_random_bytes(folder: Path) -> list[Expect]:
    text = folder / "one-line.txt"
    _write(text, ((BODY + " ") * 115_000).encode())  # 10 MB, no newline
    noise = folder / "noise.txt"
    _write(noise, random.Random(3).randbytes(10_000_000))
    return [Expect(str(text), docs=1), Expect(str(noise), "binary file, not text")]


def write_mixed_encodings(folder: Path) -> list[Expect]:
    path = folder / "mixed.txt"
    _write(path, ("Café à Veltria. " * 20).encode() + "Straße".encode("cp1252") + b" end.")
    return [Expect(str(path), "the file mixes encodings or is damaged")]


def write_mixed_encoding_jsonl(folder: Path) -> list[Expect]:
    """JSON Lines appended to by two tools: a Windows-1252 line is read, a damaged UTF-8 one is not."""
    path = folder / "mixed-lines.jsonl"
    legacy = json.dumps({"text": "Café à Veltria. " * 10}, ensure_ascii=False).encode("cp1252")
    damaged = json.dumps({"text": "Café à Veltria. " * 10}, ensure_ascii=False).encode().replace(b"Velt", b"V\xe9lt", 1)
    _write(path, b"\n".join([_line().encode(), legacy, damaged, _line().encode()]) + b"\n")
    return [Expect(str(path), "the file mixes encodings or is damaged", line=3, docs=3)]


# -- compression -----------------------------------------------------------------------------
def _gzip_zeros(n: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A gzip member of ``prefix``, ``n`` zero bytes and ``suffix``, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [packer.compress(prefix)]
    block = bytes(1 << 20)
    for start in range(0, n, len(block)):
        out.append(packer.compress(block[: min(len(block), n - start)]))
    out.append(packer.compress(suffix))
    out.append(packer.flush())
    return b"".join(out)


def write_gzip_bombs(folder: Path) -> list[Expect]:
    """A .gz that expands past the cap, and gzip inside gzip whose inner layer does."""
    bomb = folder / "bomb.txt.gz"
    _write(bomb, _gzip_zeros(BOMB))
    nested = folder / "nested.txt.gz"
    _write(nested, gzip.compress(_gzip_zeros(BOMB)))
    twice = folder / "twice.txt.gz.gz"
    _write(twice, gzip.compress(gzip.compress(BODY.encode())))
    return [
        Expect(str(bomb), f"decompressed file is {LIMIT_REASON}"),
        Expect(str(nested), f"decompressed file (layer 2) is {LIMIT_REASON}"),
        Expect(str(twice), docs=1),
    ]


# -- WARC ------------------------------------------------------------------------------------
def _http(body: bytes, *headers: str) -> bytes:
    lines = [
        "HTTP/1.1 200 OK",
        "Content-Type: text/html; charset=utf-8",
        *headers,
        f"Content-Length: {len(body)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _warc_head(uri: str, length: int | str) -> bytes:
    return (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nWARC-Date: 2021-03-09T10:00:00Z\r\n"
        f"WARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def warc_record(uri: str, block: bytes, length: int | str | None = None) -> bytes:
    """One WARC response record; ``length`` overrides (lies about) its Content-Length."""
    return _warc_head(uri, len(block) if length is None else length) + block + b"\r\n\r\n"


def _good_records(n: int) -> bytes:
    return b"".join(warc_record(f"http://x.example/{i}", _http(PAGE.encode())) for i in range(n))


def write_warc_bombs(folder: Path) -> list[Expect]:
    """A .warc.gz whose one record inflates to 100 MB; gzip and deflate Content-Encoding bombs."""
    bomb = folder / "bomb.warc.gz"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    block_length = len(http) + BOMB
    _write(bomb, _gzip_zeros(BOMB, _warc_head("http://x.example/bomb", block_length) + http, b"\r\n\r\n"))
    encoded = folder / "encoded.warc"
    deflate = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    deflated = deflate.compress(bytes(BOMB)) + deflate.flush()
    _write(
        encoded,
        _good_records(1)
        + warc_record("http://x.example/gz", _http(_gzip_zeros(BOMB), "Content-Encoding: gzip"))
        + warc_record("http://x.example/deflate", _http(deflated, "Content-Encoding: deflate")),
    )
    page_reason = f"page is {LIMIT_REASON} once decoded"
    return [
        Expect(str(bomb), "decompression bomb"),
        Expect(str(encoded), docs=1),
        Expect(f"{encoded}#http://x.example/gz", page_reason),
        Expect(f"{encoded}#http://x.example/deflate", page_reason),
    ]


def write_warc_lying_lengths(folder: Path) -> list[Expect]:
    """Content-Length past the end of the file, shorter than the record, and not a number."""
    longer = folder / "longer.warc"
    _write(longer, _good_records(2) + warc_record("http://x.example/liar", _http(PAGE.encode()), 10**12))
    shorter = folder / "shorter.warc"
    _write(shorter, warc_record("http://x.example/short", _http(PAGE.encode()), 40) + _good_records(1))
    nonsense = folder / "nonsense.warc"
    _write(nonsense, _good_records(1) + warc_record("http://x.example/nan", _http(PAGE.encode()), "-7x"))
    wrong = "does not end where its Content-Length says"
    return [
        Expect(str(longer), "truncated WARC after 2 records: record http://x.example/liar ends", docs=2),
        Expect(str(shorter), f"WARC record 1 (http://x.example/short) {wrong}"),
        Expect(str(nonsense), f"WARC record 2 (http://x.example/nan) {wrong}", docs=1),
    ]


# -- feeds -----------------------------------------------------------------------------------
SECRET = "SECRET-9f2c-never-in-a-document"


def write_hostile_feeds(folder: Path) -> list[Expect]:
    """Billion laughs, an external entity reading a local file, a surrogate character reference."""
    hidden = folder / ".secret.cfg"  # hidden, so that the walk does not read it as a text itself
    _write(hidden, SECRET.encode())
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    item = f"<item><title>t &lol9;</title><description>{BODY} &lol9;</description></item>"
    lol = folder / "laughs.rss"
    _write(
        lol,
        (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}]>'
            f'<rss version="2.0"><channel><title>L &lol9;</title>{item}</channel></rss>'
        ).encode(),
    )
    xxe = folder / "xxe.xml"
    _write(
        xxe,
        (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{hidden}">]>'
            f'<rss version="2.0"><channel><title>X &xxe;</title><item><title>&xxe;</title>'
            f"<description>{BODY} &xxe;</description></item></channel></rss>"
        ).encode(),
    )
    surrogate = folder / "surrogate.atom"
    _write(
        surrogate,
        (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Feed &#xD800;</title><entry><title>Bad &#55296; title</title>"
            f"<link href='http://x.example/a'/><summary>{BODY} &#x110000;</summary></entry></feed>"
        ).encode(),
    )
    refused = "feed declares its own XML entities"
    return [
        Expect(str(hidden), "hidden file skipped"),
        Expect(str(lol), refused),
        Expect(str(xxe), refused),
        Expect(str(surrogate), docs=1),
    ]


# -- what the folder walk skips -----------------------------------------------------------
def write_skipped(folder: Path) -> list[Expect]:
    """A symlink (not followed by default), a dangling one, a hidden folder, a FIFO."""
    outside = folder.parent / f"{folder.name}-outside.txt"
    _write(outside, BODY.encode())
    (folder / "link.txt").symlink_to(outside)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / ".cache").mkdir()
    _write(folder / ".cache" / "inside.txt", BODY.encode())
    os.mkfifo(folder / "pipe.txt")
    symlink = "symlink skipped (ingest.follow_symlinks = false)"
    return [
        Expect(str(folder / "link.txt"), symlink),
        Expect(str(folder / "dangling.txt"), symlink),
        Expect(str(folder / ".cache"), "hidden folder skipped"),
        Expect(str(folder / "pipe.txt"), "not a regular file"),
    ]


WRITERS: tuple[Writer, ...] = (
    write_deep_jsonl_line,
    write_deep_json_file,
    write_lone_surrogate_text,
    write_lone_surrogate_title,
    write_huge_number,
    write_long_jsonl_line,
    write_non_utf8_names,
    write_control_char_names,
    write_nul_in_html,
    write_deep_html,
    write_long_line_and_random_bytes,
    write_mixed_encodings,
    write_mixed_encoding_jsonl,
    write_gzip_bombs,
    write_warc_bombs,
    write_warc_lying_lengths,
    write_hostile_feeds,
    write_skipped,
)


def write_all(folder: str | Path) -> list[Expect]:
    """Every hostile input in ``folder`` (created), with what reading each must give."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [expect for writer in WRITERS for expect in writer(folder)]
