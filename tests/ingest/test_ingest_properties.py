"""Property tests over the readers (hypothesis): no bytes or text makes one raise, every
document it gives is storable, and good JSON Lines survive any bad lines around them."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloom.config import load_config
from newsloom.ingest.discover import READERS, InputWalker
from newsloom.ingest.html import HtmlExtract
from newsloom.ingest.jsonl import JsonlReader
from newsloom.ingest.safe import json_depth_over, printable, scrub
from newsloom.models import Document, Reject

CONFIG = load_config()
# 60 examples keep each test under a second; NEWSLOOM_FUZZ_EXAMPLES=5000 for a longer hunt.
FAST = settings(
    max_examples=int(os.environ.get("NEWSLOOM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
READER_CLASSES = sorted(set(READERS.values()), key=lambda cls: cls.name)
SUFFIXES = sorted(READERS) + [".gz", ".txt.gz", ".bin"]

# Text with everything hostile in it: lone surrogates, controls, NUL, bidi overrides, markup.
FRAGMENTS = ["<", ">", "<p>", "&#xD800;", "&#1114112;", "\x00", "\u202e", "\x1b[31m", "\n"]
FRAGMENTS += ["{", "[", '"', "\\ud800"]  # JSON: nesting, strings, escaped surrogates
hostile_text = st.lists(
    st.one_of(st.characters(exclude_categories=[]), st.sampled_from(FRAGMENTS)),  # surrogates included
    max_size=150,
).map("".join)
hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: gzip.compress(t.encode("utf-8", "surrogatepass"))),
)


def _check(items: list[Document | Reject]) -> None:
    """What reaches the store must be storable: valid UTF-8 and printable sources."""
    for item in items:
        assert isinstance(item, Document | Reject)
        item.source.encode("utf-8")
        if isinstance(item, Reject):
            assert item.reason and "failed: " not in item.reason  # not a safety net catching a bug
            item.reason.encode("utf-8")
        else:
            for value in (item.raw, item.title, item.publisher, item.author, item.url, item.published):
                assert value is None or scrub(value) == value


@pytest.mark.parametrize("reader_cls", READER_CLASSES, ids=lambda cls: cls.name)
@FAST
@given(data=hostile_bytes)
def test_no_bytes_make_a_reader_raise(reader_cls, data):
    _check(list(reader_cls(CONFIG).read("input", data)))


@FAST
@given(data=hostile_bytes, suffix=st.sampled_from(SUFFIXES))
def test_no_bytes_make_dispatch_raise(data, suffix):
    _check(list(InputWalker(CONFIG).read_bytes("input" + suffix, "input" + suffix, data)))


@FAST
@given(text=hostile_text)
def test_no_text_makes_the_html_stage_raise(text):
    doc = Document(source="x.html", raw=scrub(text), format="html")
    HtmlExtract(CONFIG).process([doc])
    assert doc.rejected is None or "failed" not in doc.rejected
    assert scrub(doc.text) == doc.text


good_line = st.builds(
    lambda body, title: json.dumps({"text": f"The council of Veltria met on Monday. {body}", "title": title}),
    st.text(max_size=80),
    st.none() | st.text(max_size=30),
)
bad_line = st.one_of(
    hostile_text.filter(lambda t: "\n" not in t),
    st.integers(min_value=2, max_value=400).map(lambda n: '{"text": ' + "[" * n + "]" * n + "}"),
    st.integers(min_value=4301, max_value=6000).map(lambda n: '{"text": "x", "n": ' + "9" * n + "}"),
    st.sampled_from(['{"text": "ok \\ud800 then"}', '{"text": 5}', "[1, 2]", "{", '"\\udfff"']),
)


@FAST
@given(lines=st.lists(st.tuples(st.booleans(), good_line, bad_line), min_size=1, max_size=12))
def test_every_good_jsonl_line_is_read_whatever_lies_around_it(lines):
    chosen = [(good, g if good else b) for good, g, b in lines]
    data = "\n".join(line for _, line in chosen).encode("utf-8", "surrogatepass")
    out = list(JsonlReader(CONFIG).read("mix.jsonl", data))
    _check(out)
    read = {int(d.source.rsplit(":", 1)[1]) for d in out if isinstance(d, Document)}
    wanted = {n for n, (good, _) in enumerate(chosen, start=1) if good}
    assert wanted <= read  # a bad line may happen to be good JSON too; a good one is never lost
    rejected = [r.line for r in out if isinstance(r, Reject)]
    assert len(rejected) == len(set(rejected)) and not read & set(rejected)  # one outcome a line


@FAST
@given(text=hostile_text)
def test_printable_is_idempotent_storable_and_keeps_printable_text(text):
    shown = printable(text)
    assert printable(shown) == shown
    shown.encode("utf-8")
    assert not any(c in shown for c in "\n\r\x1b\x00\u202e")
    if text.isprintable():
        assert shown == text


@FAST
@given(depth=st.integers(min_value=0, max_value=300), noise=st.text(alphabet='[]{}"\\', max_size=20))
def test_depth_check_agrees_with_the_parser(depth, noise):
    line = '{"a": ' * depth + '"' + noise.replace('"', "").replace("\\", "") + '"' + "}" * depth
    assert json_depth_over(line, 100) == (depth > 100)
