"""The story page's events, framing and indicators sections (issues 10 and 11) and their API, over the
fixture store (tests/web/conftest.py): every row opens the document's own words, the API and the page
show the same rows, and each empty state names what has not run."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from newsloom.models import Document
from newsloom.store.duckdb import open_store
from newsloom.web import views

STORY = "story-valdoria"
HOSTILE = '<script>alert("x")</script>" onmouseover="alert(1)'  # as in conftest.py
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
ROW = re.compile(r'<tr class="event-row[^"]*" data-event="([^"]+)">(.*?)</tr>', re.S)
SENTENCE_LINK = re.compile(r'<a class="event-sentence" href="([^"]+)">')


def _doc(client, doc_id: str) -> str:
    return client.get(f"/api/documents/{doc_id}").json()["document"]["text"]


def _span(href: str) -> tuple[str, int, int]:
    url = urlsplit(html.unescape(href))
    q = parse_qs(url.query)
    return url.path.rsplit("/", 1)[1], int(q["start"][0]), int(q["end"][0])


def test_story_api_gives_each_event_with_its_words(client, web_store):
    _, docs = web_store
    data = client.get(f"/api/stories/{STORY}").json()
    events = data["coded_events"]
    assert data["coded_events_total"] == len(events) == 4  # en, id, ar and the hostile report; not the loose note
    assert {e["doc_id"] for e in events} == {docs[k].doc_id for k in ("en", "id", "ar", "bad")}
    assert data["missing"]["coded_events"] is None
    for e in events:
        text = _doc(client, e["doc_id"])
        assert e["sentence"] == text[e["start"]:e["end"]]
        assert e["trigger"] == text[e["trigger_start"]:e["trigger_end"]]
        assert e["story_id"] == STORY  # from its document, as the export gives it
    by_doc = {e["doc_id"]: e for e in events}
    en = by_doc[docs["en"].doc_id]
    assert (en["type"], en["actor_name"], en["location_name"], en["trigger"]) == (
        "AID", "Relief Agency of Norland", "Valdoria", "sent")
    assert [f["text"] for f in en["figures"]] == ["300 personnel"]
    assert en["event_id"] == "event-valdoria-1" and en["published"] == "2031-03-04"
    bad = by_doc[docs["bad"].doc_id]
    assert (bad["mode"], bad["negated"], bad["actor_name"], bad["trigger"]) == ("denied", True, HOSTILE, HOSTILE)
    # by date: dated events first, in order; an event with a month only sorts by that month
    assert [e["date"] for e in events] == ["2031-03", "2031-03-04", "2031-03-05", None]


def test_events_api_pages_and_filters_the_same_rows(client):
    whole = [e["event_mention_id"] for e in client.get(f"/api/stories/{STORY}").json()["coded_events"]]
    first = client.get(f"/api/stories/{STORY}/events", params={"limit": 3}).json()
    assert first["total"] == 4 and first["next_offset"] == 3
    rest = client.get(f"/api/stories/{STORY}/events", params={"limit": 3, "offset": 3}).json()
    assert rest["next_offset"] is None
    assert [e["event_mention_id"] for e in first["items"] + rest["items"]] == whole
    aid = client.get(f"/api/stories/{STORY}/events", params={"type": "AID"}).json()
    assert aid["total"] == 3 and {e["type"] for e in aid["items"]} == {"AID"}
    denied = client.get(f"/api/stories/{STORY}/events", params={"mode": "denied"}).json()
    assert [e["negated"] for e in denied["items"]] == [True]
    assert client.get("/api/stories/no-such-story/events").status_code == 404
    assert client.get(f"/api/stories/{STORY}/events", params={"mode": "maybe"}).status_code == 422


def test_story_page_event_rows_open_their_sentence(client):
    api = client.get(f"/api/stories/{STORY}").json()["coded_events"]
    page = client.get(f"/stories/{STORY}").text
    rows = ROW.findall(page)
    assert [r[0] for r in rows] == [e["event_mention_id"] for e in api]  # the same events, the same order
    for (_, row), e in zip(rows, api):
        (href,) = SENTENCE_LINK.findall(row)
        assert _span(href) == (e["doc_id"], e["start"], e["end"])
        doc = client.get(html.unescape(href).split("#")[0]).text.split('<article class="doc-text"', 1)[1]
        # the document page marks exactly the sentence, and anchors the first piece for #hl
        marked = re.findall(r'<span class="[^"]*\bhl\b[^"]*"[^>]*>(?:<a [^>]*>)?([^<]*)', doc)
        assert html.unescape("".join(marked)) == e["sentence"]
        assert 'id="hl"' in doc
    # the hostile actor, trigger and sentence are shown as text
    assert '<script>alert' not in page and 'onmouseover="alert(1)' not in page
    hostile_row = next(r for _, r in rows if "PROTEST" in r)
    assert hostile_row.count(ESCAPED) >= 3 and "denied" in hostile_row


def test_framing_per_outlet_opens_the_loaded_word(client, web_store):
    _, docs = web_store
    framing = client.get(f"/api/stories/{STORY}").json()["framing"]
    outlets = {o["publisher"]: o for o in framing}
    warta = outlets["Warta Nusantara Fiksi"]
    (term,) = warta["terms"]
    assert (term["term"], term["neutral"], term["documents"], warta["loaded_documents"]) == (
        "rezim", "government", 1, 1)
    (use,) = term["uses"]
    assert _doc(client, use["doc_id"])[use["start"]:use["end"]] == "rezim" == use["text"]
    # an outlet whose listed use is not in the text any more still links the document, without a span
    hostile = outlets[f"Outlet {HOSTILE}"]
    assert hostile["terms"][0]["uses"] == [{"doc_id": docs["bad"].doc_id, "start": None, "end": None, "text": None}]
    # outlets of the story that used no loaded term are listed too, after those that did; the loose note's
    # "regime" (in no story) is not counted here
    assert outlets["Daily Meridian"]["terms"] == [] and framing[-1]["terms"] == []
    assert all(o["listed"] for o in framing)  # en, id and ar have lists: "none" means none was used
    page = client.get(f"/stories/{STORY}").text
    section = page.split('id="framing"', 1)[1].split("</section>", 1)[0]
    assert f'href="/documents/{use["doc_id"]}?start={use["start"]}&amp;end={use["end"]}#hl"' in section
    assert "none: neutral wording" in section and "→" in section


def test_indicators_chart_one_mark_per_outlet_with_the_range_shaded(client, web_store):
    _, docs = web_store
    (series,) = client.get(f"/api/stories/{STORY}").json()["indicators"]
    assert (series["kind"], series["place"], series["place_name"]) == ("displaced", "geo:EG", "Valdoria")
    days = [(p["day"], p["low"], p["high"], sorted((m["outlet"], m["value"]) for m in p["marks"]))
            for p in series["points"]]
    assert days == [("2031-03-04", 1200, 1200, [("Daily Meridian", 1200)]),
                    ("2031-03-05", 1200, 1500, [("Warta Nusantara Fiksi", 1500), ("صحيفة الأفق", 1200)])]
    for p in series["points"]:
        for m in p["marks"]:
            assert _doc(client, m["doc_id"])[m["start"]:m["end"]] == m["text"]
    page = client.get(f"/stories/{STORY}").text
    svg = page.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    marks = re.findall(r'<a class="mark" href="([^"]+)" aria-label="([^"]+)"', svg)
    assert len(marks) == 3
    assert {_span(h) for h, _ in marks} == {(m["doc_id"], m["start"], m["end"])
                                            for p in series["points"] for m in p["marks"]}
    assert '<polygon class="range"' in svg  # two days: the low-high band between them
    assert "https://" not in svg and "<script" not in svg  # drawn on the server, nothing fetched


def _bare_store(path, with_events: bool) -> None:
    doc = Document(source="x.txt", raw="Rain fell on Alma.", text="Rain fell on Alma.", lang="en",
                   publisher="Alma Herald", published="2031-05-01", story_id="story-alma")
    with open_store(path) as store:
        run = store.begin_run(["x/"])
        store.add_documents([doc], run)
        store._bulk_insert("clusters", [{"cluster_id": "story-alma", "level": "story", "parent": None,
                                         "doc_ids": [doc.doc_id], "title": "Rain in Alma"}])
        if with_events:  # the stages ran, on other documents
            store._bulk_insert("events", [{"event_mention_id": "e-other", "doc_id": "elsewhere", "start": 0,
                                           "end": 1, "type": "AID"}])
            store._bulk_insert("framing", [{"publisher": "Other", "lang": "en", "term": "regime",
                                            "neutral": "government", "count": 1, "doc_ids": ["elsewhere"]}])
            store._bulk_insert("claims", [{"claim_id": "c-other", "cluster_id": "story-other", "statement": "x",
                                           "status": "single-source", "sources": [], "contradicting": []}])


@pytest.mark.parametrize("ran", [False, True], ids=["not-run", "ran-found-none"])
def test_empty_states_say_what_has_not_run(tmp_path, ran):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    _bare_store(tmp_path / "s.duckdb", ran)
    with TestClient(create_app(tmp_path / "s.duckdb", search=False)) as client:
        data = client.get("/api/stories/story-alma").json()
        page = client.get("/stories/story-alma").text
        events = client.get("/api/stories/story-alma/events").json()
    assert data["coded_events"] == [] and data["framing"] == [] and data["indicators"] == []
    expected = ({"coded_events": views.MISSING["coded_events_story"], "framing": views.MISSING["framing_story"],
                 "indicators": views.MISSING["indicators_story"]} if ran else
                {"coded_events": views.MISSING["coded_events"], "framing": views.MISSING["framing"],
                 "indicators": views.MISSING["indicators"]})
    for key, message in expected.items():
        assert data["missing"][key] == message
        assert message.replace("'", "&#39;") in page
    assert events["items"] == [] and events["missing"] == expected["coded_events"]
    if not ran:
        assert "events stage has not run" in expected["coded_events"]
        assert "has not run" in expected["framing"] and "has not run" in expected["indicators"]


def test_claims_table_cells_open_the_words_and_name_who_is_cited(client):
    data = client.get(f"/api/stories/{STORY}").json()
    claims = {c["claim_id"]: c for c in data["claims"]}
    personnel = claims["c-personnel"]
    assert (personnel["kind"], personnel["quantity_kind"], personnel["date"], personnel["independent_sources"]) == (
        "quantity", "personnel", "2031-03-04", 1)
    (src,) = personnel["sources"]
    assert (src["attributed_to"], src["attributed_name"]) == ("kb:relief-agency-norland", "Relief Agency of Norland")
    page = client.get(f"/stories/{STORY}").text
    table = page.split('<table class="list claims">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"status-[^\"]+\">(.*?)</tr>", table, re.S)
    assert len(rows) == len(data["claims"])
    for row, claim in zip(rows, data["claims"]):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        statement, value = cells[0], cells[1]
        first = claim["sources"][0]
        words = f'/documents/{first["doc_id"]}?start={first["start"]}&amp;end={first["end"]}#hl'
        assert words in statement  # the statement opens its first source's words
        assert (words in value) == (claim["value"] is not None)
        for key, cell in (("sources", cells[3]), ("contradicting", cells[4])):
            for s in claim[key]:  # every source cell opens its own words
                assert f'/documents/{s["doc_id"]}?start={s["start"]}&amp;end={s["end"]}#hl' in cell
    cited = rows[[c["claim_id"] for c in data["claims"]].index("c-personnel")]
    assert 'citing <a href="/entities/kb:relief-agency-norland"><bdi>Relief Agency of Norland</bdi></a>' in cited
