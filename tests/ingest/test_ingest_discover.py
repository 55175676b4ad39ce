"""Input discovery: files, folders, globs, stdin, suffix dispatch, and bad inputs."""

from __future__ import annotations

import gzip
import io
import json
import os

import pytest

from newsloom.config import load_config
from newsloom.ingest import discover
from newsloom.ingest.base import Reader
from newsloom.ingest.discover import READERS, iter_inputs, reader_for
from newsloom.ingest.feed import FeedReader
from newsloom.ingest.html import HtmlReader
from newsloom.ingest.jsonl import JsonlReader
from newsloom.ingest.text import TextReader
from newsloom.ingest.warc import WarcReader
from newsloom.models import Document, Reject

BODY = "The harbour council of Veltria met on Monday and agreed a new plan for the old bridge."
PAGE = f"<!DOCTYPE html><html><body><article><p>{BODY}</p></article></body></html>"


def split(out):
    out = list(out)
    docs = [x for x in out if isinstance(x, Document)]
    rejects = [x for x in out if isinstance(x, Reject)]
    return docs, rejects


def test_registry_maps_suffixes_to_readers():
    assert READERS[".txt"] is TextReader and READERS[".md"] is TextReader
    assert READERS[".jsonl"] is JsonlReader and READERS[".ndjson"] is JsonlReader
    assert READERS[".html"] is HtmlReader and READERS[".htm"] is HtmlReader
    assert READERS[".warc"] is WarcReader and READERS[".warc.gz"] is WarcReader
    assert READERS[".rss"] is FeedReader and READERS[".atom"] is FeedReader and READERS[".xml"] is FeedReader
    assert all(issubclass(cls, Reader) for cls in READERS.values())
    assert reader_for("crawl.WARC.GZ") == (WarcReader, False)
    assert reader_for("a.txt.gz") == (TextReader, True)
    assert reader_for("a.jsonl.gz") == (JsonlReader, True)
    assert reader_for("notes.log") == (None, False)


def test_folder_is_walked_recursively_sorted_skipping_hidden(tmp_path, config):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "z.txt").write_text(BODY + " Z.")
    (tmp_path / "b" / "a.txt").write_text(BODY + " A.")
    (tmp_path / "b" / "page.html").write_text(PAGE)
    (tmp_path / ".hidden.txt").write_text(BODY)
    (tmp_path / ".git" / "config.txt").write_text(BODY)
    docs, rejects = split(iter_inputs([str(tmp_path)], config))
    assert [(r.source, r.reason) for r in rejects] == [  # one notice each, nothing inside .git
        (str(tmp_path / ".git"), "hidden folder skipped (its name starts with '.')"),
        (str(tmp_path / ".hidden.txt"), "hidden file skipped (its name starts with '.')"),
    ]
    assert [d.source for d in docs] == [
        str(tmp_path / "b" / "a.txt"),
        str(tmp_path / "b" / "page.html"),
        str(tmp_path / "z.txt"),
    ]
    assert [d.format for d in docs] == ["text", "html", "text"]


def test_glob_and_duplicates(tmp_path, config):
    for name in ("one.txt", "two.txt", "three.md"):
        (tmp_path / name).write_text(f"{BODY} {name}")
    paths = [str(tmp_path / "*.txt"), str(tmp_path / "one.txt"), str(tmp_path / "nothing-*.txt")]
    docs, rejects = split(iter_inputs(paths, config))
    assert [d.source for d in docs] == [str(tmp_path / "one.txt"), str(tmp_path / "two.txt")]
    assert [(r.source, r.reason) for r in rejects] == [(paths[2], "no files match this pattern")]


def test_missing_and_empty(tmp_path, config):
    (tmp_path / "empty.txt").write_bytes(b"")
    missing = str(tmp_path / "nope.txt")
    docs, rejects = split(iter_inputs([missing, str(tmp_path / "empty.txt")], config))
    assert docs == []
    assert [(r.source, r.reason) for r in rejects] == [
        (missing, "no such file or directory"),
        (str(tmp_path / "empty.txt"), "empty file"),
    ]


def test_file_over_the_limit_is_rejected_without_reading(tmp_path, config, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 52.4 MB, written for real (not sparse) in the test's own folder
        block = (BODY + "\n").encode() * 1000
        written = 0
        while written < 52_400_000:
            chunk = block[: 52_400_000 - written]
            fh.write(chunk)
            written += len(chunk)

    def no_open(*args, **kwargs):
        raise AssertionError("a file over the limit must not be opened")

    monkeypatch.setattr(discover, "open", no_open, raising=False)
    (rej,) = iter_inputs([str(big)], config)
    assert rej.source == str(big)
    assert rej.reason == "file is 52.4 MB, over the 20.0 MB limit (ingest.max_file_bytes)"


def test_unreadable_file(tmp_path, config, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(BODY)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(discover, "open", denied, raising=False)
    (rej,) = iter_inputs([str(path)], config)
    assert rej.source == str(path)
    assert rej.reason == "cannot read file: Permission denied"


def test_gzip_inputs(tmp_path, config):
    good = tmp_path / "story.txt.gz"
    good.write_bytes(gzip.compress(BODY.encode()))
    packed = gzip.compress(
        json.dumps({"text": BODY}).encode() * 1 + b"\n" + json.dumps({"text": BODY + "!"}).encode()
    )
    lines = tmp_path / "lines.jsonl.gz"
    lines.write_bytes(packed)
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress((BODY * 50).encode())[:-30])
    fake = tmp_path / "fake.txt.gz"
    fake.write_bytes(b"plain text pretending to be gzip")
    docs, rejects = split(iter_inputs([str(good), str(lines), str(cut), str(fake)], config))
    assert [d.raw for d in docs] == [BODY, BODY, BODY + "!"]
    assert [(r.source, r.reason.split(":")[0]) for r in rejects] == [
        (str(cut), "truncated gzip"),
        (str(fake), "not a gzip file"),
    ]


def test_unknown_suffix_is_sniffed(tmp_path, config):
    (tmp_path / "a.log").write_text(BODY)
    (tmp_path / "b.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "c.page").write_text(PAGE)
    (tmp_path / "d.out").write_text(json.dumps({"text": BODY}) + "\n")
    docs, rejects = split(iter_inputs([str(tmp_path)], config))
    assert [(d.source.rsplit("/", 1)[-1], d.format) for d in docs] == [
        ("a.log", "text"),
        ("c.page", "html"),
        ("d.out:1", "text"),
    ]
    assert [(r.source, r.reason) for r in rejects] == [(str(tmp_path / "b.dat"), "binary file, not text")]


def test_stdin_is_jsonl(config, monkeypatch):
    data = (json.dumps({"text": BODY, "title": "From a pipe"}) + "\nnot json\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs, rejects = split(iter_inputs(["-"], config))
    assert [(d.source, d.title) for d in docs] == [("<stdin>:1", "From a pipe")]
    assert [(r.source, r.line) for r in rejects] == [("<stdin>", 2)]


def test_stdin_over_the_limit(monkeypatch):
    config = load_config(overrides={"ingest": {"max_file_bytes": 100}})
    (rej,) = iter_inputs(["-"], config, stdin=io.BytesIO(b"x" * 500))
    assert rej.reason == "standard input is over the 100 bytes limit (ingest.max_file_bytes)"


def test_too_little_text_in_a_file(tmp_path, config):
    (tmp_path / "tiny.txt").write_text("Hi.")
    (rej,) = iter_inputs([str(tmp_path / "tiny.txt")], config)
    assert rej.reason == "too little text (3 chars)"


def test_reader_crash_becomes_a_reject(tmp_path, config, monkeypatch):
    (tmp_path / "a.txt").write_text(BODY)

    def boom(self, source, data):
        raise RuntimeError("bug in reader")
        yield  # pragma: no cover

    monkeypatch.setattr(TextReader, "read", boom)
    (rej,) = iter_inputs([str(tmp_path / "a.txt")], config)
    assert rej.reason == "text reader failed: RuntimeError: bug in reader"


@pytest.mark.parametrize("follow", [False, True])
def test_symlinks_in_folders(tmp_path, follow):
    config = load_config(overrides={"ingest": {"follow_symlinks": follow}})
    outside = tmp_path / "outside.txt"
    outside.write_text(BODY)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside)
    docs, rejects = split(iter_inputs([str(folder)], config))
    assert len(docs) == (1 if follow else 0)
    notices = (
        [] if follow else [(str(folder / "link.txt"), "symlink skipped (ingest.follow_symlinks = false)")]
    )
    assert [(r.source, r.reason) for r in rejects] == notices


def test_symlink_loops_end_with_a_notice(tmp_path):
    config = load_config(overrides={"ingest": {"follow_symlinks": True}})
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(BODY)
    (folder / "sub" / "up").symlink_to(folder)  # a loop back to the root
    (folder / "self").symlink_to("self")  # a link to itself (ELOOP)
    docs, rejects = split(iter_inputs([str(folder)], config))
    assert [d.source for d in docs] == [str(folder / "sub" / "a.txt")]
    assert [(r.source, r.reason.split(":")[0]) for r in rejects] == [
        (str(folder / "self"), "cannot read file"),
        (str(folder / "sub" / "up"), "symlink skipped"),
    ]
    assert rejects[1].reason == "symlink skipped: it leads to a folder already read"


def test_deep_folder_tree_does_not_overflow_the_stack(tmp_path, config):
    path = str(tmp_path)
    for _ in range(1200):  # deeper than Python's recursion limit (made without os.makedirs, which recurses)
        path += "/d"
        os.mkdir(path)
    with open(path + "/a.txt", "w") as fh:
        fh.write(BODY)
    try:
        docs, rejects = split(iter_inputs([str(tmp_path)], config))
        assert rejects == [] and [d.source for d in docs] == [path + "/a.txt"]
    finally:  # pytest's own clean-up (shutil.rmtree) recurses too
        os.remove(path + "/a.txt")
        while path != str(tmp_path):
            os.rmdir(path)
            path = os.path.dirname(path)
