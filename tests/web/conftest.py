"""A small fictional store for the web tests: English, Indonesian and Arabic reports of one made-up
story (a flood in the invented town of Valdoria), a hostile document, entities, dates, quantities,
coded events, event and story clusters, claims and framing counts, inserted through the store itself."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from newsloom.models import DateMention, Document, EntityMention, EventMention, Paragraph, Quantity, Removed
from newsloom.store.duckdb import open_store

HOSTILE = '<script>alert("x")</script>" onmouseover="alert(1)'
STORY = "story-valdoria"
EVENT = "event-valdoria-1"
EVENT2 = "event-valdoria-2"


def _doc(source: str, title: str, text: str, lang: str, publisher: str, published: str, **kw) -> Document:
    d = Document(source=source, raw=text, title=title, publisher=publisher, published=published)
    d.text = text
    d.lang, d.lang_score = lang, 0.98
    pos = 0
    for block in text.split("\n\n"):
        d.paragraphs.append(Paragraph(start=pos, end=pos + len(block), text=block, lang=kw.get("para_lang", lang)))
        pos += len(block) + 2
    d.removed = [Removed(text="Share on social media", reason="boilerplate")]
    return d


def _span(d: Document, needle: str, cls, **kw):
    start = d.text.index(needle)
    return cls(start=start, end=start + len(needle), text=needle, **kw)


def _event(d: Document, sentence: str, trigger: str, etype: str, figures=(), **kw) -> EventMention:
    start = d.text.index(sentence)
    t = d.text.index(trigger, start)
    return EventMention(start=start, end=start + len(sentence), text=sentence, type=etype,
                        event_mention_id=f"ev-{d.source}-{start}", trigger_start=t, trigger_end=t + len(trigger),
                        quantities=[(q.start, q.end) for q in figures], **kw)


def build_store(path: Path) -> dict:
    en = _doc("en.txt", "Floods force 1,200 from homes in Valdoria",
              "Floods forced 1,200 people from their homes in Valdoria on Tuesday, officials said.\n\n"
              "The Relief Agency of Norland sent 300 personnel to the area.",
              "en", "Daily Meridian", "2031-03-04")
    en.entities = [_span(en, "Valdoria", EntityMention, type="LOC", entity_id="geo:EG", name="Valdoria"),
                   _span(en, "Relief Agency of Norland", EntityMention, type="ORG", entity_id="kb:relief-agency-norland",
                         name="Relief Agency of Norland")]
    en.dates = [_span(en, "Tuesday", DateMention, value="2031-03-04")]
    en.quantities = [_span(en, "1,200 people", Quantity, value=1200, unit="people", kind="displaced"),
                     _span(en, "300 personnel", Quantity, value=300, unit="personnel", kind="personnel")]
    idn = _doc("id.txt", "Banjir paksa 1.500 warga Valdoria mengungsi",
               "Banjir memaksa 1.500 warga Valdoria mengungsi pada hari Selasa.\n\n"
               "Badan Bantuan Norland mengirim 300 personel.\n\n"
               "Warga menuding rezim daerah lamban.",
               "id", "Warta Nusantara Fiksi", "2031-03-05")
    idn.entities = [_span(idn, "Valdoria", EntityMention, type="LOC", entity_id="geo:EG", name="Valdoria"),
                    _span(idn, "Badan Bantuan Norland", EntityMention, type="ORG", entity_id="kb:relief-agency-norland",
                          name="Relief Agency of Norland")]
    idn.quantities = [_span(idn, "1.500 warga", Quantity, value=1500, unit="people", kind="displaced")]
    ar = _doc("ar.txt", "فيضانات في فالدوريا تجبر 1200 شخص على النزوح",
              "أجبرت الفيضانات 1200 شخص على مغادرة منازلهم في فالدوريا يوم الثلاثاء.\n\n"
              "وأرسلت وكالة الإغاثة في نورلاند 300 عنصر.",
              "ar", "صحيفة الأفق", "2031-03-05")
    ar.entities = [_span(ar, "فالدوريا", EntityMention, type="LOC", entity_id="geo:EG", name="Valdoria"),
                   _span(ar, "وكالة الإغاثة في نورلاند", EntityMention, type="ORG",
                         entity_id="kb:relief-agency-norland", name="Relief Agency of Norland")]
    ar.quantities = [_span(ar, "1200 شخص", Quantity, value=1200, unit="people", kind="displaced")]
    bad = _doc("bad.html", f"Breaking {HOSTILE}", f"Text with {HOSTILE} inside and a town called {HOSTILE}.",
               "en", f"Outlet {HOSTILE}", "2031-03-06")
    bad.entities = [_span(bad, HOSTILE, EntityMention, type="PER", entity_id=f"per:{HOSTILE}", name=HOSTILE)]
    loose = _doc("loose.txt", "Unclustered note on Norland markets", "Markets in Norland rose 2 percent.",
                 "en", "Daily Meridian", "2031-02-01")
    en.events = [_event(en, "The Relief Agency of Norland sent 300 personnel to the area.", "sent", "AID",
                        actor="kb:relief-agency-norland", location="geo:EG", date="2031-03-04",
                        figures=[en.quantities[1]])]
    idn.events = [_event(idn, "Badan Bantuan Norland mengirim 300 personel.", "mengirim", "AID",
                         actor="kb:relief-agency-norland", date="2031-03-05")]
    ar.events = [_event(ar, "وأرسلت وكالة الإغاثة في نورلاند 300 عنصر.", "وأرسلت", "AID",
                        actor="kb:relief-agency-norland", location="geo:EG")]
    bad.events = [_event(bad, bad.text, HOSTILE, "PROTEST", actor=f"per:{HOSTILE}", target=f"per:{HOSTILE}",
                         date="2031-03", mode="denied", negated=True)]
    loose.events = [_event(loose, loose.text, "rose", "COOPERATE")]  # in no story
    docs = [en, idn, ar, bad, loose]
    with open_store(path) as store:
        run_id = store.begin_run(["fixtures/"])
        for d in (en, idn, ar, bad):
            d.story_id = STORY
        en.event_id = idn.event_id = ar.event_id = EVENT
        bad.event_id = EVENT2
        store.add_documents(docs, run_id)
        from newsloom.models import Reject
        store.finish_run(run_id, added=len(docs), already_stored=0,
                         rejects=[Reject(source=f"broken-{HOSTILE}.html", reason="no text after cleaning", line=None)],
                         stats={"clean.seen": 6})
        story_ids = [en.doc_id, idn.doc_id, ar.doc_id, bad.doc_id]
        store._bulk_insert("clusters", [
            {"cluster_id": STORY, "level": "story", "parent": None, "doc_ids": story_ids,
             "title": "Floods in Valdoria", "start_date": "2031-03-04", "end_date": "2031-03-06"},
            {"cluster_id": EVENT, "level": "event", "parent": STORY, "doc_ids": story_ids[:3],
             "title": "Flood displaces residents", "start_date": "2031-03-04", "end_date": "2031-03-05"},
            {"cluster_id": EVENT2, "level": "event", "parent": STORY, "doc_ids": [bad.doc_id],
             "title": f"Event {HOSTILE}", "start_date": "2031-03-06", "end_date": "2031-03-06"},
        ])
        q_en, q_id, q_ar = en.quantities[0], idn.quantities[0], ar.quantities[0]

        def src(d, q):
            return {"doc_id": d.doc_id, "start": q.start, "end": q.end, "text": q.text, "publisher": d.publisher}

        store._bulk_insert("claims", [
            {"claim_id": "c-displaced", "cluster_id": EVENT, "statement": "people displaced", "value": 1200.0,
             "status": "contradicted", "sources": [src(en, q_en), src(ar, q_ar)], "contradicting": [src(idn, q_id)],
             "kind": "quantity", "quantity_kind": "displaced", "subject": ["geo:EG"], "date": "2031-03-04"},
            {"claim_id": "c-displaced-1500", "cluster_id": EVENT, "statement": "1,500 people displaced",
             "value": 1500.0, "status": "contradicted", "sources": [src(idn, q_id)],
             "contradicting": [src(en, q_en), src(ar, q_ar)], "kind": "quantity", "quantity_kind": "displaced",
             "subject": ["geo:EG"], "date": "2031-03-04"},
            {"claim_id": "c-personnel", "cluster_id": STORY, "statement": "personnel sent", "value": 300.0,
             "status": "corroborated",
             "sources": [{**src(en, en.quantities[1]), "attributed_to": "kb:relief-agency-norland"}], "contradicting": [],
             "kind": "quantity", "quantity_kind": "personnel", "date": "2031-03-04", "independent_sources": 1},
            {"claim_id": "c-hostile", "cluster_id": STORY, "statement": f"claim {HOSTILE}", "value": None,
             "status": "single-source", "sources": [src(bad, bad.entities[0])], "contradicting": []},
        ])
        store._bulk_insert("framing", [
            {"publisher": "Warta Nusantara Fiksi", "lang": "id", "term": "rezim", "neutral": "government", "count": 1,
             "doc_ids": [idn.doc_id]},
            {"publisher": f"Outlet {HOSTILE}", "lang": "en", "term": "regime", "neutral": f"government {HOSTILE}",
             "count": 2, "doc_ids": [bad.doc_id, "doc-elsewhere"]},
            {"publisher": "Daily Meridian", "lang": "en", "term": "regime", "neutral": "government", "count": 1,
             "doc_ids": [loose.doc_id]},  # in no story
        ])
    return {"en": en, "id": idn, "ar": ar, "bad": bad, "loose": loose, "run_id": run_id}


@pytest.fixture(scope="session")
def store_builder():
    """``build_store(path) -> docs``: the fixture store, for tests that need their own copy."""
    return build_store


@pytest.fixture(scope="session")
def web_store(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("webstore") / "web.duckdb"
    docs = build_store(path)
    return path, docs


@pytest.fixture(scope="session")
def client(web_store):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    path, _ = web_store
    app = create_app(path, sync_interval=0.2)
    with TestClient(app) as c:
        app.state.search.sync(block=True)  # index now, so search tests need not wait for the thread
        yield c
