"""One date format per field in the JSON API (issue 15, item 7): a day is always YYYY-MM-DD, a moment
always ISO 8601 with its UTC offset. Walks every response model, then every route's answer over a
store whose publication dates mix days, moments with offsets and moments without."""

from __future__ import annotations

import inspect
import re
import typing
from datetime import date, datetime

import pytest
from pydantic import BaseModel, TypeAdapter

from newsloom.web import apimodels

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE_VALUE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?|-W\d{2})?|--\d{2}(-\d{2})?)$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
# what the store may hold in a date column, as the readers and passes write it
STORED = ["2021-03-22", "2021-03-25T16:45:00+00:00", "2021-03-25T23:30:00-05:00", "2021-03-25T16:45:00Z",
          "2021-03-25T16:45:00", "2021-03-25 16:45:00+07:00", datetime(2021, 3, 25, 16, 45), None, "not a date"]
# field names that hold a day, a moment, a date value at the text's precision, a month
DAY_FIELDS = {"published", "start_date", "end_date", "day"}
MOMENT_FIELDS = {"published_at", "started_at", "finished_at"}
VALUE_FIELDS = {("DateSpan", "value"), ("EventMentions", "date"), ("CodedEvent", "date"), ("Claim", "date")}
MONTH_FIELDS = {"month"}
DATE_LIKE = re.compile(r"(date|day|month|published|_at$|time)")


def _models() -> list[type[BaseModel]]:
    return [m for _, m in inspect.getmembers(apimodels, inspect.isclass)
            if issubclass(m, BaseModel) and m.__module__ == apimodels.__name__]


def _kind(annotation: object) -> set[type]:
    return {a for a in (annotation, *typing.get_args(annotation)) if a in (date, datetime)}


def test_every_date_field_of_every_model_has_its_one_format():
    checked = 0
    for model in _models():
        for name, info in model.model_fields.items():
            kinds = _kind(info.annotation)
            if name in DAY_FIELDS:
                assert kinds == {date}, f"{model.__name__}.{name} should be a day"
            elif name in MOMENT_FIELDS:
                assert kinds == {datetime}, f"{model.__name__}.{name} should be a moment"
            elif (model.__name__, name) in VALUE_FIELDS or name in MONTH_FIELDS:
                assert not kinds
                continue
            else:  # a text field named like a date would be a date of no declared kind
                scalar_text = str in (info.annotation, *typing.get_args(info.annotation))
                assert not kinds and not (scalar_text and DATE_LIKE.search(name)), f"{model.__name__}.{name}"
                continue
            adapter = TypeAdapter(typing.Annotated[info.annotation, *info.metadata])
            for stored in STORED:
                if stored is None and info.is_required() and type(None) not in typing.get_args(info.annotation):
                    continue
                try:
                    out = adapter.dump_python(adapter.validate_python(stored), mode="json")
                except ValueError:
                    assert stored in (None, "not a date"), (model.__name__, name, stored)
                    continue
                pattern = DAY if name in DAY_FIELDS else MOMENT
                assert out is None or pattern.match(out), (model.__name__, name, stored, out)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize(("stored", "day", "moment"), [
    ("2021-03-22", "2021-03-22", None),  # a day alone: no moment is invented
    ("2021-03-25T16:45:00+00:00", "2021-03-25", "2021-03-25T16:45:00Z"),
    ("2021-03-25T23:30:00-05:00", "2021-03-25", "2021-03-25T23:30:00-05:00"),  # the day where it was published
    ("2021-03-25T16:45:00", "2021-03-25", None),  # a time without its offset is no moment
    ("garbled", None, None),
    (None, None, None),
])
def test_published_gives_a_day_and_a_moment(stored, day, moment):
    row = apimodels.DocumentHead.model_validate(
        {"doc_id": "d", "title": None, "publisher": None, "lang": None, "published": stored}).model_dump(mode="json")
    assert (row["published"], row["published_at"]) == (day, moment)


def _walk(obj, path=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, f"{path}.{k}")
            if not isinstance(v, (dict, list)):
                yield f"{path}.{k}", k, v
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, f"{path}[{i}]")


@pytest.fixture(scope="module")
def mixed_client(store_builder, tmp_path_factory):
    """The fixture store plus documents published as a moment with and without offset, and a story
    whose first and last publication are a day and a moment (as the clusters pass writes them)."""
    from fastapi.testclient import TestClient

    from newsloom.models import Document
    from newsloom.store.duckdb import open_store
    from newsloom.web.app import create_app

    path = tmp_path_factory.mktemp("dates") / "web.duckdb"
    docs = store_builder(path)
    extra = [Document(source=f"m{i}.txt", raw=f"Markets in Norland moved {i} percent.", title=f"Markets {i}",
                      publisher="Daily Meridian", published=p, lang="en", text=f"Markets in Norland moved {i} percent.",
                      story_id="story-mixed")
             for i, p in enumerate(["2031-03-25T16:45:00+00:00", "2031-03-26T09:00:00", "2031-03-22"])]
    with open_store(path) as store:
        store.add_documents(extra, docs["run_id"])
        store._bulk_insert("clusters", [
            {"cluster_id": "story-mixed", "level": "story", "parent": None, "doc_ids": [d.doc_id for d in extra],
             "title": "Norland markets", "start_date": "2031-03-22", "end_date": "2031-03-26T09:00:00"}])
    app = create_app(path, search=False)
    with TestClient(app) as client:
        yield client, [d.doc_id for d in extra] + [docs["en"].doc_id], docs["run_id"]


def test_every_route_answers_each_date_field_in_its_one_format(mixed_client):
    client, doc_ids, run_id = mixed_client
    urls = ["/api/status", "/api/stories", "/api/stories/story-mixed", "/api/stories/story-valdoria",
            "/api/stories/story-valdoria/events",
            "/api/documents", "/api/entities", "/api/entities/geo:EG", "/api/runs", f"/api/runs/{run_id}",
            "/api/search?q=Norland"]
    urls += [f"/api/documents/{d}" for d in doc_ids] + [f"/api/documents/{d}/similar" for d in doc_ids]
    seen: dict[str, set[str]] = {"day": set(), "moment": set()}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        for where, key, value in _walk(r.json()):
            if value is None:
                continue
            if key in DAY_FIELDS:
                assert DAY.match(str(value)), (url, where, value)
                seen["day"].add(key)
            elif key in MOMENT_FIELDS:
                assert MOMENT.match(str(value)), (url, where, value)
                seen["moment"].add(key)
            elif key == "month":
                assert MONTH.match(value), (url, where, value)
    assert seen["day"] >= {"published", "start_date", "end_date"}
    assert seen["moment"] >= {"published_at", "started_at"}
    mixed = client.get("/api/stories/story-mixed").json()
    docs = {d["title"]: (d["published"], d["published_at"]) for d in mixed["documents"]}
    assert docs == {"Markets 0": ("2031-03-25", "2031-03-25T16:45:00Z"), "Markets 1": ("2031-03-26", None),
                    "Markets 2": ("2031-03-22", None)}
    assert (mixed["story"]["start_date"], mixed["story"]["end_date"]) == ("2031-03-22", "2031-03-26")
