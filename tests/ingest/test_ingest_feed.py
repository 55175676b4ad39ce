"""The RSS / Atom reader."""

from __future__ import annotations

import pytest

from newsloom.ingest.feed import FeedReader
from newsloom.models import Document, Reject

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>The Coastal Ledger</title><link>https://ledger.example/</link><language>en-gb</language>
<item>
  <title>Ferries to Orsk resume</title>
  <link>https://ledger.example/ferries</link>
  <pubDate>Tue, 19 Mar 2024 08:00:00 +0000</pubDate>
  <description>&lt;p&gt;The ferry to the island of Orsk resumed service on Tuesday after the storm.&lt;/p&gt;</description>
</item>
<item>
  <title>Council budget</title>
  <link>https://ledger.example/budget</link>
  <pubDate>Wed, 20 Mar 2024 10:15:00 +0100</pubDate>
  <description>The city council of Veltria approved next year's budget on Wednesday evening.</description>
</item>
<item><title>Empty one</title><link>https://ledger.example/empty</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Veltria Daily</title>
  <id>urn:example:veltria-daily</id>
  <updated>2024-03-21T12:00:00Z</updated>
  <entry>
    <title>Lighthouse repainted</title>
    <link href="https://daily.example/lighthouse"/>
    <id>urn:example:1</id>
    <updated>2024-03-21T12:00:00Z</updated>
    <content type="html">&lt;p&gt;Volunteers repainted the old lighthouse of Veltria in red and white stripes.&lt;/p&gt;</content>
    <summary>Volunteers repainted it.</summary>
  </entry>
</feed>
"""


def test_rss(config):
    out = list(FeedReader(config).read("news.rss", RSS.encode()))
    docs = [d for d in out if isinstance(d, Document)]
    (rej,) = [r for r in out if isinstance(r, Reject)]
    assert [d.title for d in docs] == ["Ferries to Orsk resume", "Council budget"]
    first, second = docs
    assert first.url == "https://ledger.example/ferries"
    assert first.source == "news.rss#https://ledger.example/ferries"
    assert first.published == "2024-03-19T08:00:00+00:00"
    assert first.publisher == "The Coastal Ledger"
    assert first.format == "html" and "<p>" in first.raw
    assert second.format == "text"
    assert second.published == "2024-03-20T09:15:00+00:00"
    assert first.lang_hint == "en"
    assert rej.source == "news.rss#https://ledger.example/empty"
    assert rej.reason == "feed entry has no content or summary"


def test_atom_prefers_full_content(config):
    (doc,) = FeedReader(config).read("daily.atom", ATOM.encode())
    assert doc.title == "Lighthouse repainted"
    assert doc.url == "https://daily.example/lighthouse"
    assert doc.publisher == "Veltria Daily"
    assert doc.published == "2024-03-21T12:00:00+00:00"
    assert "red and white stripes" in doc.raw and doc.format == "html"


def test_broken_feed_is_rejected(config):
    (rej,) = FeedReader(config).read("bad.xml", b"<rss><channel><title>Broken")
    assert isinstance(rej, Reject) and rej.source == "bad.xml"
    assert "feed" in rej.reason


def test_xml_that_is_not_a_feed(config):
    (rej,) = FeedReader(config).read(
        "sitemap.xml", b'<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>'
    )
    assert isinstance(rej, Reject)
    assert "feed" in rej.reason


def _feed_with(doctype: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss {doctype}>'
        f'<rss version="2.0"><channel><title>Warta&nbsp;Kota</title><item><title>Banjir&mdash;Jakarta</title>'
        f"<link>http://x.example/a</link><description>{body}</description></item></channel></rss>"
    ).encode()


BODY_TEXT = "Hujan deras sejak Senin malam merendam ratusan rumah di Jakarta Timur, kata petugas setempat kepada wartawan."


def test_feed_declaring_literal_entities_is_read_with_them_substituted(config):
    doctype = '[<!ENTITY nbsp "&#160;"> <!ENTITY mdash \'&#8212;\'> <!ENTITY org "Badan Penanggulangan">]'
    data = _feed_with(doctype, f"{BODY_TEXT} &org; &amp; warga.")
    (doc,) = list(FeedReader(config).read("f.rss", data))
    assert isinstance(doc, Document)
    assert doc.publisher == "Warta\u00a0Kota"
    assert doc.title == "Banjir\u2014Jakarta"
    assert doc.raw.endswith("Badan Penanggulangan & warga.")


@pytest.mark.parametrize(
    "doctype",
    [
        '[<!ENTITY a "x"> <!ENTITY b "&a;&a;">]',  # built from another entity
        '[<!ENTITY a SYSTEM "file:///etc/hostname">]',  # external
        '[<!ENTITY % p "x"> <!ENTITY a "y">]',  # parameter entity
        '[<!ENTITY big "' + "x" * 300 + '">]',  # not a short literal
    ],
)
def test_feed_declaring_other_entities_is_refused(config, doctype):
    (reject,) = list(FeedReader(config).read("f.rss", _feed_with(doctype, BODY_TEXT)))
    assert isinstance(reject, Reject) and "declares its own XML entities" in reject.reason
