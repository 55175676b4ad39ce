"""Event-fact and attributed-statement claims on small fictional multi-source stories (English,
Indonesian, Arabic) whose truth is known; every place, person and outlet here is made up.

Documents are built the way the stages leave them (text, entities, dates, event mentions with their
sentence and trigger spans); ``newsloom.claims.facts`` runs on them and the claims are asserted
exactly: statement, status, sources (with outlets and attribution) and what contradicts them.
"""

from __future__ import annotations

from newsloom.claims import all_claims, event_claims, statement_claims
from newsloom.claims.facts import FactMention, actors_agree, dates_agree, describe
from newsloom.models import DateMention, Document, EntityMention, EventMention

VARNESIA = ("LOC", "loc:varnesia", "Varnesia")
KESSA = ("LOC", "loc:kessa", "Kessa")
REBELS = ("ORG", "org:kessa-front", "Kessa Front")
TALIB = ("PER", "per:oren-talib", "Oren Talib")
MINISTRY = ("ORG", "org:health-ministry", "health ministry")


def doc(name, publisher, lang, published, text, *, entities=(), dates=(), events=(), duplicate_of=None):
    """A document as the stages leave it; ``events`` are (trigger words, type, mode, negated, actor,
    target, location, date) and the event's span is the sentence holding its trigger."""
    d = Document(source=name, raw=text, title=name, publisher=publisher, published=published)
    d.text, d.lang, d.duplicate_of = text, lang, duplicate_of

    def span(words):
        s = text.index(words)
        return s, s + len(words)

    for words, typ, entity_id, display in entities:
        s, e = span(words)
        d.entities.append(EntityMention(start=s, end=e, text=words, type=typ, entity_id=entity_id, name=display))
    for words, value in dates:
        s, e = span(words)
        d.dates.append(DateMention(start=s, end=e, text=words, value=value))
    for n, (trigger, typ, mode, negated, actor, target, location, when) in enumerate(events):
        t0, t1 = span(trigger)
        s0, s1 = sentence(text, t0)
        d.events.append(EventMention(start=s0, end=s1, text=text[s0:s1], event_mention_id=f"{name}-{n}", type=typ,
                                     actor=actor, target=target, location=location, date=when,
                                     trigger_start=t0, trigger_end=t1, mode=mode, negated=negated))
    return d


def sentence(text, at):
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return start, (end + 1 if end >= 0 else len(text))


def item(d, attributed_to):
    e = d.events[0]
    return {"doc_id": d.doc_id, "start": e.start, "end": e.end, "text": d.text[e.start:e.end],
            "publisher": d.publisher, "attributed_to": attributed_to}


def by_doc(items):
    return sorted(items, key=lambda s: (s["doc_id"], s["start"]))


# ------------------------------------------------------------------ story 1: who shelled Kessa market, and when
def shelling():
    ht = doc("harbor-times-2", "Harbor Times", "en", "2031-05-10",
             "Varnesia shelled the market of Kessa on Friday, the health ministry said.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA), ("health ministry", *MINISTRY)],
             dates=[("on Friday", "2031-05-09")],
             events=[("shelled", "ASSAULT", "asserted", False, "loc:varnesia", None, "loc:kessa", "2031-05-09")])
    copy = doc("coastal-wire-2", "Coastal Wire", "en", "2031-05-10", ht.text, entities=[
        ("Varnesia", *VARNESIA), ("Kessa", *KESSA), ("health ministry", *MINISTRY)],
        dates=[("on Friday", "2031-05-09")],
        events=[("shelled", "ASSAULT", "asserted", False, "loc:varnesia", None, "loc:kessa", "2031-05-09")],
        duplicate_of=ht.doc_id)
    kt = doc("kabar-timur-2", "Kabar Timur", "id", "2031-05-10",
             "Pasukan Varnesia menembaki pasar Kessa pada Jumat.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA)], dates=[("Jumat", "2031-05-09")],
             events=[("menembaki", "ASSAULT", "asserted", False, "loc:varnesia", None, "loc:kessa", "2031-05-09")])
    # another actor blamed for the same shelling, a day's tolerance apart (Thursday night vs Friday)
    sa = doc("al-sahil-2", "الساحل", "ar", "2031-05-10", "قصفت جبهة كيسا سوق كيسا يوم الخميس.",
             entities=[("جبهة كيسا", *REBELS), ("سوق كيسا", *KESSA)], dates=[("يوم الخميس", "2031-05-08")],
             events=[("قصفت", "ASSAULT", "asserted", False, "org:kessa-front", None, "loc:kessa", "2031-05-08")])
    # the same actor, a different date
    il = doc("island-ledger-2", "Island Ledger", "en", "2031-05-10", "Varnesia shelled Kessa on 2 May.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA)], dates=[("2 May", "2031-05-02")],
             events=[("shelled", "ASSAULT", "asserted", False, "loc:varnesia", "loc:kessa", None, "2031-05-02")])
    # the actor denies it (no date stated: the publication day is no claim about when)
    wr = doc("warta-rakyat-2", "Warta Rakyat", "id", "2031-05-11", "Varnesia membantah menembaki pasar Kessa.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA)],
             events=[("menembaki", "ASSAULT", "denied", False, "loc:varnesia", None, "loc:kessa", "2031-05-11")])
    return ht, copy, kt, sa, il, wr


def test_event_facts_different_actors_dates_and_a_denial():
    ht, copy, kt, sa, il, wr = docs = shelling()
    claims = {c.statement: c.row() for c in event_claims("ev-kessa", docs)}
    assert set(claims) == {
        "Varnesia attacked in Kessa on 2031-05-09",
        "Kessa Front attacked in Kessa on 2031-05-08",
        "Varnesia attacked Kessa on 2031-05-02",
        "Varnesia did not attack in Kessa",
    }
    friday = claims["Varnesia attacked in Kessa on 2031-05-09"]
    assert friday["kind"] == "event" and friday["value"] is None and friday["status"] == "contradicted"
    assert friday["independent_sources"] == 2, "the syndicated copy counts with its original"
    assert by_doc(friday["sources"]) == by_doc([item(ht, "org:health-ministry"), item(copy, "org:health-ministry"),
                                                item(kt, None)])
    # the other actor blamed, the other date, and the denial
    assert by_doc(friday["contradicting"]) == by_doc([item(sa, None), item(il, None), item(wr, None)])
    assert friday["subject"] == ["loc:varnesia", "loc:kessa"] and friday["date"] == "2031-05-09"

    front = claims["Kessa Front attacked in Kessa on 2031-05-08"]
    assert front["status"] == "contradicted" and front["independent_sources"] == 1
    # only the Friday version is within a day; the 2 May one is another day, so no clash about who
    assert by_doc(front["contradicting"]) == by_doc([item(ht, "org:health-ministry"),
                                                     item(copy, "org:health-ministry"), item(kt, None)])
    second = claims["Varnesia attacked Kessa on 2031-05-02"]
    assert second["status"] == "contradicted"
    assert by_doc(second["contradicting"]) == by_doc([item(ht, "org:health-ministry"),
                                                      item(copy, "org:health-ministry"), item(kt, None), item(wr, None)])
    denial = claims["Varnesia did not attack in Kessa"]
    assert denial["status"] == "contradicted" and denial["date"] == "2031-05-11"
    assert by_doc(denial["contradicting"]) == by_doc([item(ht, "org:health-ministry"),
                                                      item(copy, "org:health-ministry"), item(kt, None), item(il, None)])
    for c in claims.values():
        for s in c["sources"] + c["contradicting"]:
            d = next(x for x in docs if x.doc_id == s["doc_id"])
            assert d.text[s["start"]:s["end"]] == s["text"]


def test_agreeing_reports_corroborate():
    ht, copy, kt, *_ = shelling()
    (claim,) = event_claims("ev-kessa", [ht, copy, kt])
    assert (claim.status, claim.independent_sources, claim.contradicting) == ("corroborated", 2, [])
    (alone,) = event_claims("ev-kessa", [ht, copy])
    assert alone.status == "single-source", "an article and its syndicated copy are one source"


# ------------------------------------------------------------------ story 2: a withdrawal announced, then moved
def withdrawal():
    ht = doc("harbor-times-3", "Harbor Times", "en", "2031-05-10",
             "Varnesia will withdraw its troops from Kessa by July, Defence Minister Oren Talib said.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA), ("Oren Talib", *TALIB)],
             dates=[("July", "2031-07")],
             events=[("withdraw", "RETREAT", "planned", False, "loc:varnesia", None, "loc:kessa", "2031-07")])
    kt = doc("kabar-timur-3", "Kabar Timur", "id", "2031-05-10",
             "Varnesia akan menarik pasukannya dari Kessa paling lambat Juli, kata Oren Talib.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA), ("Oren Talib", *TALIB)],
             dates=[("Juli", "2031-07")],
             events=[("menarik", "RETREAT", "planned", False, "loc:varnesia", None, "loc:kessa", "2031-07")])
    # the same day, another outlet quotes him with another month: a contradiction in the reporting
    sa = doc("al-sahil-3", "الساحل", "ar", "2031-05-10", "قال أورين طالب إن فارنيسيا ستسحب قواتها من كيسا بحلول يونيو.",
             entities=[("أورين طالب", *TALIB), ("فارنيسيا", *VARNESIA), ("كيسا", *KESSA)],
             dates=[("يونيو", "2031-06")],
             events=[("ستسحب", "RETREAT", "planned", False, "loc:varnesia", None, "loc:kessa", "2031-06")])
    # ten days later he moves the date: a sequence, not a contradiction
    il = doc("island-ledger-3", "Island Ledger", "en", "2031-05-20",
             "Varnesia will now withdraw its troops from Kessa by August, Oren Talib said.",
             entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA), ("Oren Talib", *TALIB)],
             dates=[("August", "2031-08")],
             events=[("withdraw", "RETREAT", "planned", False, "loc:varnesia", None, "loc:kessa", "2031-08")])
    return ht, kt, sa, il


def test_attributed_statements_align_across_languages_and_keep_updates_as_a_sequence():
    ht, kt, sa, il = docs = withdrawal()
    claims = {c.statement: c.row() for c in statement_claims("st-kessa", docs)}
    assert set(claims) == {
        "Oren Talib said: Varnesia will withdraw in Kessa by 2031-07",
        "Oren Talib said: Varnesia will withdraw in Kessa by 2031-06",
        "Oren Talib said: Varnesia will withdraw in Kessa by 2031-08",
    }
    july = claims["Oren Talib said: Varnesia will withdraw in Kessa by 2031-07"]
    assert july["kind"] == "statement" and july["status"] == "contradicted" and july["independent_sources"] == 2
    assert by_doc(july["sources"]) == by_doc([item(ht, "per:oren-talib"), item(kt, "per:oren-talib")])
    assert july["contradicting"] == [item(sa, "per:oren-talib")]
    june = claims["Oren Talib said: Varnesia will withdraw in Kessa by 2031-06"]
    assert june["status"] == "contradicted" and by_doc(june["contradicting"]) == by_doc(
        [item(ht, "per:oren-talib"), item(kt, "per:oren-talib")])
    august = claims["Oren Talib said: Varnesia will withdraw in Kessa by 2031-08"]
    assert (august["status"], august["contradicting"], august["date"]) == ("single-source", [], "2031-08")
    assert august["sources"] == [item(il, "per:oren-talib")]


def test_plans_moved_later_are_a_sequence_for_event_facts_too():
    ht, kt, _sa, il = withdrawal()
    claims = {c.statement: c for c in event_claims("st-kessa", [ht, kt, il])}
    assert {s: c.status for s, c in claims.items()} == {
        "Varnesia will withdraw in Kessa by 2031-07": "corroborated",
        "Varnesia will withdraw in Kessa by 2031-08": "single-source",
    }


def test_all_claims_holds_every_kind_with_unique_ids():
    docs = [*shelling(), *withdrawal()]
    claims = all_claims("st-varnesia", docs)
    kinds = {c.kind for c in claims}
    assert kinds == {"event", "statement"}, "no figures in these texts, so no quantity claims"
    assert len({c.claim_id for c in claims}) == len(claims)
    # the health ministry's account of the shelling is also a statement of its own
    said = [c for c in claims if c.kind == "statement" and c.statement.startswith("health ministry said")]
    assert [(c.status, c.independent_sources) for c in said] == [("single-source", 1)]


def test_hypothetical_and_unanchored_events_make_no_claim():
    d = doc("x", "Harbor Times", "en", "2031-05-10", "If Varnesia attacks, the talks end. Fighting went on.",
            entities=[("Varnesia", *VARNESIA)],
            events=[("attacks", "ASSAULT", "hypothetical", False, "loc:varnesia", None, None, None),
                    ("Fighting", "FIGHT", "asserted", False, None, None, None, "2031-05-10")])
    assert event_claims("ev-x", [d]) == []


def test_tolerances():
    assert dates_agree("2031-05-09", "2031-05-08") and not dates_agree("2031-05-09", "2031-05-07")
    assert dates_agree("2031-05", "2031-05-20") and not dates_agree("2031-06", "2031-05-20")
    assert dates_agree("2031", "2031-07") and dates_agree(None, "2031-07")
    base = {"doc_id": "d", "start": 0, "end": 1, "text": "x", "type": "ASSAULT", "cls": "fact", "positive": True, "target": None,
                "location": None, "date": None, "published": None, "outlet": "o", "publisher": None, "attributed_to": None}
    army = FactMention(actor="kb:egypt-army", actor_country="EGY", **base)
    egypt = FactMention(actor="geo:EG", actor_country="EGY", **base)
    other = FactMention(actor="kb:libya-army", actor_country="LBY", **base)
    assert actors_agree(army, egypt) and not actors_agree(army, other)
    # one name outside the knowledge base, typed ORG by one language's tagger and MISC by another's
    org = FactMention(actor="org:bnj", actor_country=None, **base)
    misc = FactMention(actor="misc:bnj", actor_country=None, **base)
    per = FactMention(actor="per:bnjmn", actor_country=None, **base)
    assert actors_agree(org, misc) and not actors_agree(org, per)
    assert describe("RETREAT", "demand", True, "Varnesia", "Kessa", None, None) == "Demand that Varnesia withdraw from Kessa"


def test_display_names_prefer_the_latin_script_name_of_an_entity():
    from newsloom.claims.facts import display_names

    ar = doc("a", "الساحل", "ar", "2031-05-10", "قال أورين طالب", entities=[("أورين طالب", "PER", "per:oren-talib",
                                                                                "Awryn Talb")])
    ar.entities[0].name = "أورين طالب"
    en = doc("e", "Harbor Times", "en", "2031-05-10", "Oren Talib said", entities=[("Oren Talib", *TALIB)])
    assert display_names([ar, en]) == {"per:oren-talib": "Oren Talib"}
    assert display_names([ar]) == {"per:oren-talib": "أورين طالب"}


def test_a_name_typed_differently_in_two_languages_is_one_actor_and_one_place():
    en = doc("e", "Harbor Times", "en", "2031-05-10", "Varnesia shelled Kessa on Friday.",
             entities=[("Varnesia", "ORG", "org:varnesia", "Varnesia"), ("Kessa", "LOC", "loc:kessa", "Kessa")],
             dates=[("on Friday", "2031-05-09")],
             events=[("shelled", "ASSAULT", "asserted", False, "org:varnesia", "loc:kessa", None, "2031-05-09")])
    es = doc("s", "El Faro", "es", "2031-05-10", "Varnesia bombardeó Kessa el viernes.",
             entities=[("Varnesia", "MISC", "misc:varnesia", "Varnesia"), ("Kessa", "MISC", "misc:kessa", "Kessa")],
             dates=[("el viernes", "2031-05-09")],
             events=[("bombardeó", "ASSAULT", "asserted", False, "misc:varnesia", "misc:kessa", None, "2031-05-09")])
    (claim,) = event_claims("ev-k", [en, es])
    assert (claim.status, claim.independent_sources) == ("corroborated", 2)


def test_one_outlet_never_contradicts_itself_and_sanctions_have_several_doers():
    d = doc("r", "Harbor Times", "en", "2031-05-10",
            "Varnesia shelled Kessa on Friday. Varnesia did not shell Kessa on Saturday.",
            entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA)],
            events=[("shelled", "ASSAULT", "asserted", False, "loc:varnesia", "loc:kessa", None, "2031-05-09"),
                    ("shell", "ASSAULT", "asserted", True, "loc:varnesia", "loc:kessa", None, "2031-05-10")])
    assert {c.status for c in event_claims("ev-r", [d])} == {"single-source"}
    a = doc("a", "Harbor Times", "en", "2031-05-10", "Varnesia imposed sanctions on Kessa.",
            entities=[("Varnesia", *VARNESIA), ("Kessa", *KESSA)],
            events=[("sanctions", "SANCTION", "asserted", False, "loc:varnesia", "loc:kessa", None, "2031-05-10")])
    b = doc("b", "Kabar Timur", "id", "2031-05-10", "Kessa Front menjatuhkan sanksi kepada Kessa.",
            entities=[("Kessa Front", *REBELS), ("Kessa.", *KESSA)],
            events=[("sanksi", "SANCTION", "asserted", False, "org:kessa-front", "loc:kessa", None, "2031-05-10")])
    assert {c.status for c in event_claims("ev-s", [a, b])} == {"single-source"}


def test_a_city_next_to_the_cue_is_no_speaker():
    d = doc("g", "Meridian Post", "en", "2031-05-10", "Police arrested Kessa Front members, a court source in Kessa said.",
            entities=[("Kessa Front", *REBELS), ("Kessa said", "LOC", "geo:gn100", "Kessa")],
            events=[("arrested", "COERCE", "asserted", False, None, "org:kessa-front", None, "2031-05-10")])
    d.entities[1].end = d.entities[1].start + len("Kessa")
    d.entities[1].text = "Kessa"
    assert statement_claims("ev-g", [d]) == []
    assert [c.statement for c in event_claims("ev-g", [d])] == ["Someone coerced Kessa Front"]
