"""The WARC reader: HTML responses with status 200, and truncated archives."""

from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsloom.ingest.warc import WarcReader
from newsloom.models import Document, Reject


def page(i: int) -> bytes:
    para = f"<p>Report {i} from the fictional port of Veltria, where the ferries run again.</p>"
    return f"<html><head><title>Report {i}</title></head><body>{para * 30}</body></html>".encode()


def build_warc(gz: bool, n: int = 3) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)

    def response(uri: str, status: str, ctype: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )

    response("http://ledger.example/style.css", "200 OK", "text/css", b"body{color:red}")
    response("http://ledger.example/gone", "404 Not Found", "text/html", b"<html>missing</html>")
    for i in range(n):
        response(f"http://ledger.example/news/{i}", "200 OK", "text/html; charset=utf-8", page(i))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_reads_html_responses_with_status_200(config, gz):
    out = list(WarcReader(config).read("crawl.warc", build_warc(gz)))
    assert all(isinstance(d, Document) for d in out)
    assert [d.url for d in out] == [f"http://ledger.example/news/{i}" for i in range(3)]
    first = out[0]
    assert first.source == "crawl.warc#http://ledger.example/news/0"
    assert first.format == "html" and first.published is None
    assert "fictional port of Veltria" in first.raw


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_keeps_what_was_read(config, gz):
    data = build_warc(gz)
    cut = data[: len(data) - 200]
    out = list(WarcReader(config).read("cut.warc.gz", cut))
    docs = [d for d in out if isinstance(d, Document)]
    rejects = [r for r in out if isinstance(r, Reject)]
    assert [d.url for d in docs] == ["http://ledger.example/news/0", "http://ledger.example/news/1"]
    assert len(rejects) == 1
    assert rejects[0].source == "cut.warc.gz"
    assert rejects[0].reason.startswith("truncated WARC after 4 records: ")


def test_not_a_warc(config):
    out = list(WarcReader(config).read("junk.warc", b"this is not an archive at all\n" * 5))
    assert len(out) == 1 and isinstance(out[0], Reject)
    assert out[0].reason.startswith("not a WARC file")


@pytest.mark.parametrize("gz", [True, False])
def test_a_crawl_larger_than_the_file_cap_is_streamed_a_record_at_a_time(tmp_path, gz):
    """Crawls are large: a WARC on disk is read as a stream, each page capped by max_file_bytes,
    the whole archive by max_archive_bytes (not by the per-file cap)."""
    from newsloom.config import load_config
    from newsloom.ingest.discover import iter_inputs

    data = build_warc(gz, n=60)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    small = load_config(overrides={"ingest": {"max_file_bytes": len(data) // 4, "min_text_chars": 5}})
    docs = [x for x in iter_inputs([str(path)], small) if isinstance(x, Document)]
    assert len(docs) == 60
    plain = len(build_warc(False, n=60))
    cap = max(len(data), plain // 2) if gz else len(data) - 1
    tiny = load_config(overrides={"ingest": {"max_archive_bytes": cap, "min_text_chars": 5}})
    out = list(iter_inputs([str(path)], tiny))
    assert isinstance(out[-1], Reject) and "ingest.max_archive_bytes" in out[-1].reason
    if gz:  # the pages before the cap are kept
        assert 0 < sum(isinstance(x, Document) for x in out) < 60
