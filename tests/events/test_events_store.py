"""Events reach the store and the export with spans into documents.text (analyze -> export)."""

from __future__ import annotations

import json

from newsloom.store.schema import EXPORT_COLUMNS

ARTICLES = {
    "en.txt": "Egypt condemns strike\n\nEgypt condemned Israel on Tuesday after the strike on the convoy. "
              "Israel denied attacking the convoy. Egypt demanded an inquiry, officials said.",
    "id.txt": "Mesir kecam Israel\n\nMesir mengecam Israel pada hari Selasa. Israel membantah telah menyerang "
              "konvoi itu. Indonesia akan mengirim bantuan kemanusiaan ke Gaza.",
    "ar.txt": "مصر تدين إسرائيل\n\nأدانت مصر إسرائيل يوم الثلاثاء بعد قصف القافلة. ونفت إسرائيل مهاجمة القافلة. "
              "وطالبت مصر بفتح تحقيق في الحادث.",
}


def test_events_are_stored_and_exported(tmp_path, config):
    from newsloom.pipeline import analyze, default_stages

    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    db = tmp_path / "ev.duckdb"

    def stages(cfg):
        return [s for s in default_stages(cfg) if s.name != "embed"]

    summary = analyze([str(src)], db=db, config=config, stages=stages, passes=lambda cfg: [])
    assert summary.added == 3 and not summary.rejects

    from newsloom.store.duckdb import open_store

    out = tmp_path / "out"
    with open_store(db) as store:
        store.export(out, "jsonl")
    docs = {d["doc_id"]: d for d in map(json.loads, (out / "documents.jsonl").read_text().splitlines())}
    events = [json.loads(ln) for ln in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {docs[e["doc_id"]]["lang"] for e in events} == {"en", "id", "ar"}
    for e in events:
        assert list(e) == EXPORT_COLUMNS["events"]
        text = docs[e["doc_id"]]["text"]
        sentence = text[e["start"]:e["end"]]
        assert sentence.strip() and e["start"] <= e["trigger_start"] < e["trigger_end"] <= e["end"]
        assert e["mode"] in ("asserted", "planned", "demanded", "denied", "hypothetical")
        assert isinstance(e["negated"], bool)
        assert e["event_id"] is None and e["story_id"] is None  # no cluster pass ran here
    by_lang = {}
    for e in events:
        d = docs[e["doc_id"]]
        by_lang.setdefault(d["lang"], []).append((e["type"], e["mode"], d["text"][e["trigger_start"]:e["trigger_end"]]))
    assert ("DISAPPROVE", "asserted", "condemned") in by_lang["en"]
    assert ("FIGHT", "denied", "attacking the convoy") in by_lang["en"]  # an attack on a convoy: FIGHT
    assert ("DISAPPROVE", "asserted", "mengecam") in by_lang["id"]
    assert ("AID", "planned", "bantuan kemanusiaan") in by_lang["id"]
    assert ("DISAPPROVE", "asserted", "أدانت") in by_lang["ar"]
    first = next(e for e in events if docs[e["doc_id"]]["lang"] == "en")
    assert (first["actor_country"], first["target_country"]) == ("EGY", "ISR")
