"""Golden stories: small fictional multi-source reports (English, Indonesian, Arabic) whose truth is known.

Every place, person and outlet here is made up for these tests. The documents are built the way
the stages leave them (text, entities, dates, quantities with their spans), then the claims logic
runs on them; the claims table is asserted exactly: status, sources, contradicting, attribution.
"""

from __future__ import annotations

from newsloom.claims import cluster_claims, framing_rows
from newsloom.models import DateMention, Document, EntityMention, Quantity

VARNESIA = ("Varnesia", "LOC", "loc:varnesia", "Varnesia")
KESSA = ("Kessa", "LOC", "loc:kessa", "Kessa")
TALIB = ("Oren Talib", "PER", "per:oren-talib", "Oren Talib")
MINISTRY = ("health ministry", "ORG", "org:health-ministry", "health ministry")


def doc(name: str, publisher: str, lang: str, published: str, text: str, *, quantities=(), entities=(),
        dates=(), duplicate_of: str | None = None) -> Document:
    """A document as the stages leave it; spans are found in the text (the n-th occurrence with ``#n``)."""
    d = Document(source=name, raw=text, title=name, publisher=publisher, published=published)
    d.text, d.lang, d.duplicate_of = text, lang, duplicate_of

    def span(words: str) -> tuple[int, int]:
        words, _, nth = words.partition("#")
        pos = -1
        for _ in range(int(nth or 1)):
            pos = text.index(words, pos + 1)
        return pos, pos + len(words)

    for words, value, unit, kind, qualifier in quantities:
        s, e = span(words)
        d.quantities.append(Quantity(start=s, end=e, text=text[s:e], value=value, unit=unit, kind=kind,
                                     qualifier=qualifier))
    for words, typ, entity_id, display in entities:
        s, e = span(words)
        d.entities.append(EntityMention(start=s, end=e, text=text[s:e], type=typ, entity_id=entity_id, name=display))
    for words, value in dates:
        s, e = span(words)
        d.dates.append(DateMention(start=s, end=e, text=text[s:e], value=value))
    return d


def src(d: Document, words: str, attributed_to: str | None) -> dict:
    s = d.text.index(words)
    return {"doc_id": d.doc_id, "start": s, "end": s + len(words), "text": words, "publisher": d.publisher,
            "attributed_to": attributed_to}


def by_doc(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda s: (s["doc_id"], s["start"]))


def by_statement(claims) -> dict:
    rows = {c.statement: c.row() for c in claims}
    assert len(rows) == len(claims), "statements are unique within a cluster"
    return rows


# ------------------------------------------------------------------ story 1: a ceasefire, three languages
def kessa_story():
    en = doc("harbor-times-1", "Harbor Times", "en", "2031-05-10",
             "Varnesia will withdraw 2,500 troops from Kessa, according to Defence Minister Oren Talib. "
             "At least 12 people were killed in the shelling of Kessa market, the health ministry said.",
             quantities=[("2,500 troops", 2500, "troops", "personnel", None),
                         ("12 people", 12, "people", "killed", "at_least")],
             entities=[("Varnesia", *VARNESIA[1:]), ("Kessa", *KESSA[1:]), ("Oren Talib", *TALIB[1:]),
                       ("Kessa#2", *KESSA[1:]), ("health ministry", *MINISTRY[1:])])
    # a syndicated republication of the same wire text by another outlet: one source with the original
    copy = doc("coastal-wire-1", "Coastal Wire", "en", "2031-05-10", en.text,
               quantities=[("2,500 troops", 2500, "troops", "personnel", None),
                           ("12 people", 12, "people", "killed", "at_least")],
               entities=[("Varnesia", *VARNESIA[1:]), ("Kessa", *KESSA[1:]), ("Oren Talib", *TALIB[1:]),
                         ("Kessa#2", *KESSA[1:]), ("health ministry", *MINISTRY[1:])],
               duplicate_of=en.doc_id)
    id_ = doc("kabar-timur-1", "Kabar Timur", "id", "2031-05-10",
              "Varnesia akan menarik 2.500 tentara dari Kessa, kata Oren Talib. "
              "Sebanyak 15 orang tewas dalam serangan di pasar Kessa, menurut rumah sakit setempat.",
              quantities=[("2.500 tentara", 2500, "troops", "personnel", None),
                          ("15 orang", 15, "people", "killed", None)],
              entities=[("Varnesia", *VARNESIA[1:]), ("Kessa", *KESSA[1:]), ("Oren Talib", *TALIB[1:]),
                        ("Kessa#2", *KESSA[1:])])
    ar = doc("al-sahil-1", "الساحل", "ar", "2031-05-10",
             "قال أورين طالب إن فارنيسيا ستسحب نحو 2500 جندي من كيسا. وقتل شخصان في قصف سوق كيسا.",
             quantities=[("2500 جندي", 2500, "troops", "personnel", "about"),
                         ("شخصان", 2, "people", "killed", None)],
             entities=[("أورين طالب", "PER", "per:oren-talib", "Oren Talib"),
                       ("فارنيسيا", *VARNESIA[1:]), ("كيسا", *KESSA[1:]), ("كيسا#2", *KESSA[1:])])
    # the next day, the same outlet: the toll rose (a sequence, not a contradiction)
    later = doc("harbor-times-2", "Harbor Times", "en", "2031-05-11",
                "The toll in Kessa rose to 30 people killed, officials said.",
                quantities=[("30 people", 30, "people", "killed", None)],
                entities=[("Kessa", *KESSA[1:])])
    return en, copy, id_, ar, later


def test_kessa_story_claims_exactly():
    en, copy, id_, ar, later = kessa_story()
    claims = by_statement(cluster_claims("ev-kessa", [en, copy, id_, ar, later]))
    assert set(claims) == {
        "2,500 troops (personnel) in Varnesia, Kessa",
        "15 people (killed) in Kessa",
        "2 people (killed) in Kessa",
        "30 people (killed) in Kessa",
    }
    troops = claims["2,500 troops (personnel) in Varnesia, Kessa"]
    assert troops["status"] == "corroborated"
    assert troops["independent_sources"] == 3  # the copy counts with its original
    assert troops["value"] == 2500 and troops["kind"] == "quantity" and troops["quantity_kind"] == "personnel"
    assert troops["subject"] == ["loc:varnesia", "loc:kessa"]
    assert troops["date"] == "2031-05-10"
    assert by_doc(troops["sources"]) == by_doc([
        src(en, "2,500 troops", "per:oren-talib"),
        src(copy, "2,500 troops", "per:oren-talib"),
        src(id_, "2.500 tentara", "per:oren-talib"),
        src(ar, "2500 جندي", "per:oren-talib"),
    ])
    assert troops["contradicting"] == []

    # "at least 12" does not contradict 15: it stands with it; two killed contradicts both
    fifteen = claims["15 people (killed) in Kessa"]
    assert fifteen["status"] == "contradicted" and fifteen["value"] == 15
    assert fifteen["independent_sources"] == 2
    assert by_doc(fifteen["sources"]) == by_doc([
        src(en, "12 people", "org:health-ministry"),
        src(copy, "12 people", "org:health-ministry"),
        src(id_, "15 orang", "rumah sakit setempat"),
    ])
    assert fifteen["contradicting"] == [src(ar, "شخصان", None)]

    two = claims["2 people (killed) in Kessa"]
    assert two["status"] == "contradicted" and two["independent_sources"] == 1
    assert two["sources"] == [src(ar, "شخصان", None)]
    assert {s["doc_id"] for s in two["contradicting"]} == {en.doc_id, copy.doc_id, id_.doc_id}
    assert later.doc_id not in {s["doc_id"] for s in two["contradicting"]}  # the update is no clash

    # the toll rose to 30 the next day: kept with its date, a sequence rather than a contradiction
    thirty = claims["30 people (killed) in Kessa"]
    assert thirty["status"] == "single-source" and thirty["date"] == "2031-05-11"
    assert thirty["sources"] == [src(later, "30 people", None)]  # "officials" names nobody
    assert thirty["contradicting"] == []


def test_claim_ids_are_stable_and_unique():
    docs = kessa_story()
    one = [c.claim_id for c in cluster_claims("ev-kessa", docs)]
    again = [c.claim_id for c in cluster_claims("ev-kessa", list(reversed(docs)))]
    assert sorted(one) == sorted(again) and len(set(one)) == len(one)
    other = {c.claim_id for c in cluster_claims("st-kessa", docs)}
    assert not other & set(one)  # the story's claims are its own rows


# ------------------------------------------------------------------ story 2: a flood, approximations and bounds
def flood_story():
    lembah = ("Lembah Hijau", "LOC", "loc:lembah-hijau", "Lembah Hijau")
    a = doc("warta-1", "Warta Pagi", "id", "2031-02-04",
            "Sekitar 12.500 warga Lembah Hijau mengungsi, ujar Sari Lestari dari BPBD.",
            quantities=[("12.500 warga", 12500, "people", "displaced", "about")],
            entities=[("Lembah Hijau", *lembah[1:]), ("Sari Lestari", "PER", "per:sari-lestari", "Sari Lestari"),
                      ("BPBD", "ORG", "org:bpbd", "BPBD")])
    b = doc("ufuq-1", "أفق", "ar", "2031-02-04",
            "نزح نحو 12500 شخص من لمباه هيجاو، بحسب السلطات المحلية.",
            quantities=[("12500 شخص", 12500, "people", "displaced", "about")],
            entities=[("لمباه هيجاو", *lembah[1:])])
    c = doc("ledger-1", "Island Ledger", "en", "2031-02-05",
            "More than 12,000 people fled Lembah Hijau, Sari Lestari told reporters.",
            quantities=[("12,000 people", 12000, "people", "displaced", "more_than")],
            entities=[("Lembah Hijau", *lembah[1:]), ("Sari Lestari", "PER", "per:sari-lestari", "Sari Lestari")])
    d = doc("suara-1", "Suara Rakyat", "id", "2031-02-05",
            "Relawan memperkirakan 14.000 orang mengungsi dari Lembah Hijau.",
            quantities=[("14.000 orang", 14000, "people", "displaced", None)],
            entities=[("Lembah Hijau", *lembah[1:])])
    return a, b, c, d


def test_flood_story_approximations_and_bounds_agree_beyond_tolerance_contradicts():
    a, b, c, d = flood_story()
    claims = by_statement(cluster_claims("ev-flood", [a, b, c, d]))
    assert set(claims) == {"12,500 people (displaced) in Lembah Hijau", "14,000 people (displaced) in Lembah Hijau"}
    main = claims["12,500 people (displaced) in Lembah Hijau"]
    assert main["status"] == "contradicted" and main["independent_sources"] == 3
    assert by_doc(main["sources"]) == by_doc([
        src(a, "12.500 warga", "per:sari-lestari"),
        src(b, "12500 شخص", "السلطات المحلية"),
        src(c, "12,000 people", "per:sari-lestari"),
    ])
    assert main["contradicting"] == [src(d, "14.000 orang", "Relawan")]
    volunteers = claims["14,000 people (displaced) in Lembah Hijau"]
    assert volunteers["status"] == "contradicted" and volunteers["independent_sources"] == 1
    assert {s["doc_id"] for s in volunteers["contradicting"]} == {a.doc_id, b.doc_id, c.doc_id}


def test_without_the_outlier_the_flood_figure_is_corroborated():
    a, b, c, _ = flood_story()
    (claim,) = cluster_claims("ev-flood", [a, b, c])
    assert (claim.status, claim.independent_sources, claim.contradicting) == ("corroborated", 3, [])


def test_one_outlet_twice_is_a_single_source():
    a, *_ = flood_story()
    again = doc("warta-2", "Warta Pagi", "id", "2031-02-05", "Sekitar 12.500 warga Lembah Hijau masih mengungsi.",
                quantities=[("12.500 warga", 12500, "people", "displaced", "about")])
    (claim,) = cluster_claims("ev-flood", [a, again])
    assert (claim.status, claim.independent_sources, len(claim.sources)) == ("single-source", 1, 2)


# ------------------------------------------------------------------ story 3: a trade deal, money and periods
def test_money_of_another_period_is_another_claim():
    ids = [("Indonesia", "LOC", "geo:ID", "Indonesia"), ("Mesir", "LOC", "geo:EG", "Egypt")]
    a = doc("bisnis-1", "Bisnis Kita", "id", "2031-03-10",
            "Indonesia dan Mesir meneken kesepakatan senilai USD 1,2 miliar. "
            "Perdagangan Indonesia dan Mesir tahun lalu mencapai USD 1,5 miliar.",
            quantities=[("USD 1,2 miliar", 1.2e9, "USD", "money", None),
                        ("USD 1,5 miliar", 1.5e9, "USD", "money", None)],
            entities=[("Indonesia", *ids[0][1:]), ("Mesir", *ids[1][1:]), ("Indonesia#2", *ids[0][1:]),
                      ("Mesir#2", *ids[1][1:])],
            dates=[("tahun lalu", "2030")])
    b = doc("marsad-1", "المرصد", "ar", "2031-03-10",
            "وقعت مصر وإندونيسيا اتفاقية تبلغ قيمتها 1.5 مليار دولار.",
            quantities=[("1.5 مليار دولار", 1.5e9, "USD", "money", None)],
            entities=[("مصر", "LOC", "geo:EG", "Egypt"), ("إندونيسيا", "LOC", "geo:ID", "Indonesia")])
    c = doc("ledger-2", "Island Ledger", "en", "2031-03-10",
            "Indonesia and Egypt signed a USD 1.2 billion deal.",
            quantities=[("USD 1.2 billion", 1.2e9, "USD", "money", None)],
            entities=[("Indonesia", *ids[0][1:]), ("Egypt", "LOC", "geo:EG", "Egypt")])
    claims = by_statement(cluster_claims("ev-deal", [a, b, c]))
    assert {k: (v["status"], v["independent_sources"]) for k, v in claims.items()} == {
        "USD 1.2 billion (money) in Indonesia, Egypt": ("contradicted", 2),
        "USD 1.5 billion (money) in Egypt, Indonesia": ("contradicted", 1),
        "USD 1.5 billion (money) in Indonesia, Egypt (2030)": ("single-source", 1),  # last year's trade
    }
    assert by_doc(claims["USD 1.5 billion (money) in Egypt, Indonesia"]["contradicting"]) == by_doc([
        src(a, "USD 1,2 miliar", None), src(c, "USD 1.2 billion", None)])


# ------------------------------------------------------------------ framing: which outlet uses loaded terms
def test_framing_counts_loaded_terms_per_outlet():
    docs = [
        doc("f1", "Suara Perlawanan", "id", "2031-01-01",
            "Rezim menembaki warga. Tiga orang gugur sebagai syahid, dan rezim membantah."),
        doc("f2", "الساحل", "ar", "2031-01-01", "قصفت قوات الاحتلال القرية وسقط ثلاثة شهداء."),
        doc("f3", "Harbor Times", "en", "2031-01-01", "The government shelled the village; three people were killed."),
        doc("f4", "Harbor Times", "en", "2031-01-02", "Rebels called the killing an assassination by the regime."),
    ]
    rows = [r.row() for r in framing_rows(docs)]
    assert rows == [
        {"publisher": "Harbor Times", "lang": "en", "term": "assassination", "neutral": "killing", "count": 1,
         "doc_ids": [docs[3].doc_id]},
        {"publisher": "Harbor Times", "lang": "en", "term": "regime", "neutral": "government", "count": 1,
         "doc_ids": [docs[3].doc_id]},
        {"publisher": "Suara Perlawanan", "lang": "id", "term": "gugur sebagai syahid", "neutral": "killed",
         "count": 1, "doc_ids": [docs[0].doc_id]},
        {"publisher": "Suara Perlawanan", "lang": "id", "term": "rezim", "neutral": "government", "count": 2,
         "doc_ids": [docs[0].doc_id]},
        {"publisher": "الساحل", "lang": "ar", "term": "شهداء", "neutral": "killed", "count": 1,
         "doc_ids": [docs[1].doc_id]},
        {"publisher": "الساحل", "lang": "ar", "term": "قوات الاحتلال", "neutral": "foreign troops", "count": 1,
         "doc_ids": [docs[1].doc_id]},
    ]
    # incremental: a later run adds its documents to the stored rows and never counts one twice
    more = doc("f5", "Harbor Times", "en", "2031-01-03", "The regime denied it.")
    again = [r.row() for r in framing_rows([docs[3], more], existing=[r for r in rows if r["publisher"] == "Harbor Times"])]
    regime = next(r for r in again if r["term"] == "regime")
    assert regime["count"] == 2 and regime["doc_ids"] == [docs[3].doc_id, more.doc_id]
