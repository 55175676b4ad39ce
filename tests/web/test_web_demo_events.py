"""The demo corpus analysed end to end (examples/demo), then served: every story's events table shows
the rows the API gives, each opening exactly its sentence; framing per outlet and the figures chart
render for the stories that have them."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo" / "articles"
ROW = re.compile(r'<tr class="event-row[^"]*" data-event="([^"]+)">(.*?)</tr>', re.S)
SENTENCE_LINK = re.compile(r'<a class="event-sentence" href="([^"]+)">')


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fastapi.testclient import TestClient

    from newsloom.config import load_config
    from newsloom.pipeline import analyze
    from newsloom.web.app import create_app

    db = tmp_path_factory.mktemp("demo-web") / "demo.duckdb"
    analyze([str(DEMO)], db=db, config=load_config(overrides={"runner": {"workers": 1}}))
    with TestClient(create_app(db, search=False)) as client:
        stories = [s["cluster_id"] for s in client.get("/api/stories", params={"limit": 200}).json()["items"]]
        yield client, {sid: client.get(f"/api/stories/{sid}").json() for sid in stories}


def _span(href: str) -> tuple[str, int, int]:
    url = urlsplit(html.unescape(href))
    q = parse_qs(url.query)
    return url.path.rsplit("/", 1)[1], int(q["start"][0]), int(q["end"][0])


def test_every_story_page_lists_the_api_events_each_opening_its_sentence(demo):
    client, stories = demo
    assert stories and sum(d["coded_events_total"] for d in stories.values()) > 0
    texts: dict[str, str] = {}
    for sid, data in stories.items():
        page = client.get(f"/stories/{sid}").text
        rows = ROW.findall(page)
        assert [r[0] for r in rows] == [e["event_mention_id"] for e in data["coded_events"]], sid
        paged = client.get(f"/api/stories/{sid}/events", params={"limit": 200}).json()
        assert paged["total"] == data["coded_events_total"]
        assert paged["items"][:len(data["coded_events"])] == data["coded_events"][:200]
        for (_, row), e in zip(rows, data["coded_events"]):
            (href,) = SENTENCE_LINK.findall(row)
            doc_id, start, end = _span(href)
            assert (doc_id, start, end) == (e["doc_id"], e["start"], e["end"])
            if doc_id not in texts:
                texts[doc_id] = client.get(f"/api/documents/{doc_id}").json()["document"]["text"]
            assert texts[doc_id][start:end].startswith(e["sentence"])
            assert start <= e["trigger_start"] < e["trigger_end"] <= end
            assert e["story_id"] == sid
        if data["coded_events"]:  # one row followed: the document page marks exactly that sentence
            e = data["coded_events"][0]
            doc = client.get(f"/documents/{e['doc_id']}", params={"start": e["start"], "end": e["end"]}).text
            article = doc.split('<article class="doc-text"', 1)[1]
            marked = re.findall(r'<span class="[^"]*\bhl\b[^"]*"[^>]*>(?:<a [^>]*>)?([^<]*)', article)
            assert html.unescape("".join(marked)) == texts[e["doc_id"]][e["start"]:e["end"]]


def test_framing_and_indicators_render_for_the_stories_that_have_them(demo):
    client, stories = demo
    framed = [sid for sid, d in stories.items() if any(o["terms"] for o in d["framing"])]
    charted = [sid for sid, d in stories.items() if d["indicators"]]
    assert framed and charted
    for sid in framed:
        page = client.get(f"/stories/{sid}").text
        section = page.split('id="framing"', 1)[1].split("</section>", 1)[0]
        for outlet in stories[sid]["framing"]:
            for term in outlet["terms"]:
                for use in term["uses"]:
                    if use["start"] is None:
                        continue
                    text = client.get(f"/api/documents/{use['doc_id']}").json()["document"]["text"]
                    assert text[use["start"]:use["end"]].casefold().startswith(term["term"].casefold())
                    assert f'/documents/{use["doc_id"]}?start={use["start"]}&amp;end={use["end"]}#hl' in section
    for sid in charted:
        page = client.get(f"/stories/{sid}").text
        section = page.split('id="indicators"', 1)[1].split("</section>", 1)[0]
        drawn = [c for c in stories[sid]["indicators"] if any(p["day"] for p in c["points"])]
        assert section.count('<svg class="chart"') == len(drawn)
        assert section.count('<a class="mark"') == sum(len(p["marks"]) for c in drawn for p in c["points"]
                                                       if p["day"])
        for c in stories[sid]["indicators"]:
            for p in c["points"]:
                assert p["low"] <= p["median"] <= p["high"]
                assert p["low"] == min(m["value"] for m in p["marks"])
                assert p["high"] == max(m["value"] for m in p["marks"])
