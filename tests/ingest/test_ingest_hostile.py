"""Hostile inputs (issue 13): every one gives one clear reject naming it, the rest is read.

The inputs come from ``hostile.py``; they are read together with good files in one batch,
through input discovery and the HTML stage (as ``analyze`` does).
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import tracemalloc
from pathlib import Path

import feedparser
import pytest

from newsloom.config import load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.ingest.feed import FeedReader
from newsloom.ingest.html import HtmlExtract
from newsloom.ingest.safe import printable, scrub
from newsloom.ingest.warc import WarcReader
from newsloom.models import Document, Reject

_spec = importlib.util.spec_from_file_location("hostile", Path(__file__).with_name("hostile.py"))
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile"] = hostile  # dataclasses look their module up
_spec.loader.exec_module(hostile)
Expect = hostile.Expect


def _matches(expect: Expect, source: str) -> bool:
    return source == expect.source or source.startswith((f"{expect.source}:", f"{expect.source}#"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """(expectations, good files, documents, rejects) of one batch of hostile and good inputs."""
    folder = tmp_path_factory.mktemp("hostile")
    expects = hostile.write_all(folder / "bad")
    good = []
    for i, name in enumerate(("good.txt", "good.html", "good.jsonl")):
        path = folder / name
        body = f"{hostile.BODY} Good file {i}."
        if name.endswith(".html"):
            path.write_text(hostile.PAGE.replace(hostile.BODY, body))
        else:
            path.write_text(f'{{"text": "{body}"}}\n' if name.endswith(".jsonl") else body)
        good.append(str(path))
    config = load_config()
    out = list(iter_inputs([good[0], str(folder / "bad"), *good[1:]], config))
    docs = [x for x in out if isinstance(x, Document)]
    HtmlExtract(config).process([d for d in docs if d.format == "html"])
    rejects = [x for x in out if isinstance(x, Reject)]
    rejects += [Reject(source=d.source, reason=d.rejected) for d in docs if d.rejected]
    return expects, good, docs, rejects


def test_good_files_are_all_read(batch):
    _, good, docs, _ = batch
    for path in good:
        (doc,) = [d for d in docs if d.source.split(":")[0] == path]
        assert doc.rejected is None and "Good file" in (doc.text or doc.raw)


def test_each_bad_input_gives_one_reject_with_its_reason(batch):
    expects, _, _, rejects = batch
    wanted = [e for e in expects if e.reason]
    for expect in wanted:
        found = [r for r in rejects if r.source == expect.source and r.line == expect.line]
        assert len(found) == 1, (expect, found)
        assert expect.reason in found[0].reason, (expect.reason, found[0].reason)
    assert len(rejects) == len(wanted), sorted(str(r) for r in rejects)  # nothing else rejected


def test_the_rest_of_each_bad_input_is_read(batch):
    expects, _, docs, _ = batch
    for expect in expects:
        got = [d for d in docs if _matches(expect, d.source)]
        assert len(got) == expect.docs, (expect, [d.source for d in got])


def test_everything_is_printable_and_storable(batch):
    _, _, docs, rejects = batch
    for item in [*docs, *rejects]:
        assert printable(item.source) == item.source
        item.source.encode("utf-8")  # what DuckDB's VARCHAR needs
    for reject in rejects:
        assert printable(reject.reason) == reject.reason
    for doc in docs:
        for value in (doc.raw, doc.text, doc.title, doc.publisher, doc.author, doc.url):
            assert value is None or scrub(value) == value
        assert "\x00" not in doc.raw


def test_nothing_of_a_local_file_leaks_through_a_feed(batch):
    _, _, docs, _ = batch
    assert not any(hostile.SECRET in (d.raw + (d.title or "") + (d.publisher or "")) for d in docs)


def test_surrogate_references_in_a_feed_become_replacement_characters(batch):
    expects, _, docs, _ = batch
    (atom,) = [e for e in expects if e.source.endswith("surrogate.atom")]
    (doc,) = [d for d in docs if _matches(atom, d.source)]
    assert doc.title == "Bad \ufffd title" and doc.publisher == "Feed \ufffd"
    assert doc.raw.endswith("\ufffd")


@pytest.mark.parametrize("kind", ["laughs.rss", "xxe.xml"])
def test_feedparser_alone_neither_expands_nor_fetches_entities(batch, kind):
    """The second line of defence, should the reader's DOCTYPE check ever miss a feed.

    expat (2.4+) stops "billion laughs" at its amplification limit, after some tens of MB;
    feedparser's lenient fallback then leaves the references as text.
    """
    expects, *_ = batch
    (expect,) = [e for e in expects if e.source.endswith(kind)]
    tracemalloc.start()
    try:
        parsed = feedparser.parse(Path(expect.source).read_bytes(), sanitize_html=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    text = str(parsed.feed) + str(parsed.entries)
    assert hostile.SECRET not in text
    assert "lollollol" not in text
    assert peak < 100_000_000


def test_a_warc_gz_bomb_is_stopped_with_bounded_memory(batch, config):
    expects, *_ = batch
    (bomb,) = [e for e in expects if e.source.endswith("bomb.warc.gz")]
    data = Path(bomb.source).read_bytes()
    assert len(data) < 1_000_000  # expands to 100 MB
    tracemalloc.start()
    try:
        (reject,) = WarcReader(config).read(bomb.source, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "decompressed WARC is over the 20.0 MB limit" in reject.reason
    # streamed: never more than the one page, itself capped, in memory (the archive expands to 100 MB)
    assert peak < 1.5 * config.ingest.max_file_bytes


def test_warcio_warnings_do_not_reach_the_terminal(batch, config, capsys):
    expects, *_ = batch
    (shorter,) = [e for e in expects if e.source.endswith("shorter.warc")]
    list(WarcReader(config).read(shorter.source, Path(shorter.source).read_bytes()))
    assert capsys.readouterr().err == ""


def test_feed_reader_survives_a_feedparser_crash(config, monkeypatch):
    def boom(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(feedparser, "parse", boom)
    (reject,) = FeedReader(config).read("f.rss", b"<rss></rss>")
    assert reject.reason.startswith("feed could not be parsed: UnicodeEncodeError")


def test_bytes_paths_are_accepted(tmp_path, config):
    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(hostile.BODY.encode())
    (doc,) = iter_inputs([name], config)
    assert doc.source == f"{tmp_path}/caf\\xe9.txt"


def test_stdin_with_hostile_lines(config):
    lines = [hostile._line(), '{"text": ' + "[" * 5000 + "]" * 5000 + "}", hostile._line(title="after")]
    out = list(iter_inputs(["-"], config, stdin=io.BytesIO("\n".join(lines).encode())))
    assert [(type(x).__name__, getattr(x, "line", None)) for x in out] == [
        ("Document", None),
        ("Reject", 2),
        ("Document", None),
    ]
