"""Response models of the JSON API: what each route returns, as its OpenAPI schema documents it.

``views`` builds plain dicts (the HTML pages use the same ones); the routes in ``app`` declare
these models as their ``response_model``, so FastAPI checks every answer against the schema it
publishes, and ``tests/web/test_web_schemathesis.py`` fuzzes the API against that schema.

Two kinds of model:

- envelopes (``Model``): the keys ``views`` puts together; an undeclared key is an error, so the
  schema cannot fall behind the code unnoticed;
- store rows (``Row``): one row of a store table as a query selects it. The columns the API
  promises are declared; further columns (a later migration's) pass through unchanged.

Nearly every store column may be NULL, so most row fields are ``X | None`` but always present.

Dates and times have one format per field, whatever the store holds (a publication date is kept as
the input gave it: a day, or a time with or without its offset):

- a day (``Day``: ``published``, ``start_date``, ``end_date``, ``day``) is always ``YYYY-MM-DD``;
- a moment (``Timestamp``: ``published_at``, ``started_at``, ``finished_at``) is always ISO 8601
  with its UTC offset (``2021-03-25T16:45:00+07:00``; ``Z`` for UTC), or null when no moment is
  known (the input gave only the day, or a time without its offset);
- a date value at the text's own precision (a date mention's ``value``, an event's ``date``:
  ``2021``, ``2021-03``, ``2021-03-09``, ``2021-W09``, ``--03-09``) and a ``month`` (``YYYY-MM``)
  are what they say.

``tests/web/test_web_api_dates.py`` walks every model and every route's answer for this.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Dir = Literal["ltr", "rtl", "auto"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def _to_day(value: Any) -> Any:
    """The calendar day of an ISO date or moment ("2021-03-25T16:45:00+07:00" -> 2021-03-25: the day
    where it happened, in its own offset); None for a string that is neither."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        return value  # a date, None, or something for pydantic to reject
    m = _ISO_DAY.match(value)
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _to_moment(value: Any) -> Any:
    """An aware datetime, or None when no moment is known: a day alone, or a time without its offset,
    is no moment (nothing is invented). Store TIMESTAMP columns hold UTC without a zone: UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


Day = Annotated[date, BeforeValidator(_to_day)]
DayOrNull = Annotated[date | None, BeforeValidator(_to_day)]
Timestamp = Annotated[datetime | None, BeforeValidator(_to_moment)]


class Published(BaseModel):
    """``published`` (the day) and ``published_at`` (the moment, when known), from the store's one
    ``published`` column."""

    published: DayOrNull = Field(description="The day of publication, YYYY-MM-DD.")
    published_at: Timestamp = Field(None, description="The moment of publication, ISO 8601 with its UTC "
                                                      "offset; null when the input gave only the day or a "
                                                      "time without offset.")

    @model_validator(mode="before")
    @classmethod
    def _moment_from_published(cls, data: Any) -> Any:
        if isinstance(data, dict) and "published_at" not in data:
            return {**data, "published_at": data.get("published")}
        return data


class ErrorDetail(Model):
    """The body of every error the API answers itself (404, 405, 503)."""

    detail: str = Field(description="What went wrong, in words.")


# The 4xx/5xx answers every route may give besides its own: FastAPI adds 422 (bad parameters,
# with its HTTPValidationError body) to each route that has parameters.
STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorDetail, "description": "The store cannot be read (missing, not a newsloom store, "
                                               "or newer than this newsloom)."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorDetail, "description": "No such id in the store."},
    **STORE_ERRORS,
}


MOVED: dict[int | str, dict[str, Any]] = {
    308: {"description": "The cluster was renamed (an earlier report founded it, or clusters merged): "
                         "the Location header gives its current address."},
}


class Page(Model):
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page, or null on the last page.")


# ---------------------------------------------------------------------------- status
class SearchIndexState(Model):
    path: str
    indexed: int
    in_store: int
    building: bool
    error: str | None


class Status(Model):
    store: str
    counts: dict[str, int] = Field(description="Rows per table (documents, entities, stories, ...).")
    search_index: SearchIndexState | None = Field(description="null when full-text search is disabled.")


# ---------------------------------------------------------------------------- stories
class StorySummary(Row):
    cluster_id: str
    title: str | None
    start_date: DayOrNull
    end_date: DayOrNull
    size: int = Field(description="Documents in the cluster.")


class StoryListItem(StorySummary):
    languages: list[str]
    outlets: list[str] = Field(description="The first 12 outlets.")
    outlet_count: int
    matched: int | None = Field(description="Documents matching the filters (null without filters).")


class StoryList(Page):
    items: list[StoryListItem]
    missing: str | None = Field(description="Why the list is empty, when a pass has not run yet.")
    note: str | None = Field(description="A caveat on the text search (disabled, still indexing).")


class StoryHead(StorySummary):
    level: str | None
    parent: str | None


class DocumentHead(Row, Published):
    doc_id: str
    title: str | None
    publisher: str | None
    lang: str | None


class StoryDocument(DocumentHead):
    duplicate_of: str | None
    event_id: str | None
    source: str | None
    lead: str | None = Field(description="The first 400 characters of the text.")
    length: int | None
    dir: Dir


class StoryDay(Model):
    day: Day
    size: int
    outlets: list[str]


class EventMentions(Row):
    type: str | None
    date: str | None = Field(description="ISO 8601 at the text's precision, as a date mention's value.")
    mentions: int
    documents: int
    doc_id: str | None
    start: int | None
    end: int | None


class Timeline(Model):
    events: list[StorySummary] = Field(description="Event clusters in time order.")
    days: list[StoryDay] = Field(description="Documents per day, when there are no event clusters.")
    event_mentions: list[EventMentions]


class StoryEntity(Model):
    entity_id: str
    name: str | None
    type: str | None
    documents: int


class UnplacedEntity(Model):
    entity_id: str = Field(description="The linked id, or text:<mention> for an unlinked one.")
    linked: bool
    name: str | None
    type: str | None
    mentions: int
    documents: int


class PlacedEntity(UnplacedEntity):
    lat: float
    lon: float
    country: str | None = Field(description="ISO 3166 numeric code of the country, when known.")
    precision: str


class ClaimSource(Row, Published):
    doc_id: str | None
    start: int | None
    end: int | None
    text: str | None
    publisher: str | None
    lang: str | None
    attributed_to: str | None = Field(None, description="Who it is quoted from: entity id, else the name as written.")
    attributed_name: str | None = Field(None, description="The name of the entity ``attributed_to`` links to, "
                                                          "when it is an entity id the store knows.")


class Claim(Row):
    claim_id: str
    cluster_id: str | None
    statement: str | None
    value: float | None
    status: str | None
    sources: list[ClaimSource]
    contradicting: list[ClaimSource]
    kind: str | None = Field(None, description="quantity, event or statement.")
    quantity_kind: str | None = Field(None, description="For a quantity claim: killed, injured, troops, ...")
    date: str | None = Field(None, description="ISO 8601 at the text's precision, as a date mention's value.")
    independent_sources: int | None = Field(None, description="Distinct outlets behind the sources, copies once.")


class StoryMissing(Model):
    events: str | None = Field(description="Why there are no event clusters.")
    claims: str | None
    places: str | None
    coded_events: str | None = Field(description="Why there are no coded events (events stage not run, or none found).")
    framing: str | None = Field(description="Why there is no framing (claims pass not run, or no loaded term used).")
    indicators: str | None = Field(description="Why there are no figures over time.")


class Figure(Row):
    start: int | None
    end: int | None
    text: str | None
    value: float | None
    unit: str | None
    kind: str | None


class CodedEvent(Row, Published):
    """One row of the events table (../shared/spec/EXPORT.md ``events.jsonl``) with the names of its
    entities, its words and its document's outlet."""

    event_mention_id: str
    doc_id: str
    start: int = Field(description="The sentence's offsets in the document's text.")
    end: int
    type: str | None = Field(description="PLOVER event type (AGREE, ASSAULT, PROTEST, ...).")
    mode: str | None = Field(description="asserted, planned, demanded, denied or hypothetical.")
    negated: bool
    actor: str | None = Field(description="entity_id of who did it.")
    actor_name: str | None
    target: str | None = Field(description="entity_id of whom it was done to.")
    target_name: str | None
    location: str | None = Field(description="entity_id of where.")
    location_name: str | None
    date: str | None = Field(description="ISO 8601 at the text's precision, as a date mention's value.")
    quantities: list[list[int]] = Field(description="[start, end] of the figures in the sentence.")
    figures: list[Figure] = Field(description="Those figures' words and values.")
    trigger_start: int | None
    trigger_end: int | None
    trigger: str | None = Field(description="The words that say what happened.")
    sentence: str | None = Field(description="The sentence (its first 400 characters).")
    sentence_cut: bool = Field(description="Whether the sentence is longer than shown.")
    actor_country: str | None = Field(description="ISO 3166 alpha-3.")
    target_country: str | None
    event_id: str | None
    story_id: str | None
    publisher: str | None
    lang: str | None
    dir: Dir


class EventList(Page):
    story_id: str
    items: list[CodedEvent]
    total: int = Field(description="Events of the story matching the filters.")
    missing: str | None = Field(description="Why there are none, when the events stage has not run or found none.")


class TermUse(Model):
    doc_id: str
    start: int | None = Field(description="The first use of the term in the document's text; null when it is "
                                          "only in the headline.")
    end: int | None
    text: str | None


class FramingTerm(Model):
    term: str = Field(description="The loaded term, as listed for the language.")
    neutral: str | None = Field(description="Its neutral counterpart (English).")
    documents: int = Field(description="This story's documents from the outlet that use it.")
    count_all: int | None = Field(description="The outlet's uses of it in the whole store.")
    uses: list[TermUse]


class OutletFraming(Model):
    publisher: str | None
    lang: str | None
    dir: Dir
    documents: int = Field(description="The outlet's documents in this story (copies included).")
    loaded_documents: int = Field(description="Of them, those that use a loaded term.")
    listed: bool = Field(description="Whether the language has a list of loaded terms (else none can be counted).")
    terms: list[FramingTerm]


class IndicatorMark(Model):
    outlet: str = Field(description="The publisher, or doc:<id> when the document names none.")
    label: str
    value: float
    doc_id: str
    claim_id: str
    status: str | None
    start: int | None = Field(description="The figure's words in the document.")
    end: int | None
    text: str | None


class IndicatorPoint(Model):
    story_id: str
    kind: str
    place: str | None
    country: str | None
    day: DayOrNull = Field(description="The day the outlets published it, YYYY-MM-DD.")
    low: float
    high: float
    median: float
    spread: float = Field(description="(high - low) / median.")
    outlets: int
    marks: list[IndicatorMark]


class IndicatorSeries(Model):
    kind: str = Field(description="Quantity kind: killed, injured, displaced, troops, ...")
    place: str | None
    place_name: str | None
    points: list[IndicatorPoint]


class StoryDetail(Model):
    story: StoryHead
    documents: list[StoryDocument]
    languages: list[str]
    outlets: list[str]
    timeline: Timeline
    places: list[PlacedEntity]
    unplaced: list[UnplacedEntity]
    entities: list[StoryEntity]
    claims: list[Claim]
    claim_counts: dict[str, int] = Field(description="Claims per status (contradicted, corroborated, ...).")
    coded_events: list[CodedEvent] = Field(description="The first 200 coded events (who did what to whom), "
                                                       "in date order; /api/stories/{id}/events pages through all.")
    coded_events_total: int
    framing: list[OutletFraming] = Field(description="Loaded terms per outlet in this story's documents.")
    indicators: list[IndicatorSeries] = Field(description="Figures over time per kind and place, one mark per outlet.")
    missing: StoryMissing


# ---------------------------------------------------------------------------- documents
class DocumentListItem(DocumentHead):
    duplicate_of: str | None
    story_id: str | None
    length: int | None


class DocumentList(Page):
    items: list[DocumentListItem]
    missing: str | None
    note: str | None


class RemovedLine(Row):
    text: str | None
    reason: str | None


class ParagraphSpan(Row):
    start: int | None
    end: int | None
    lang: str | None
    lang_score: float | None


class DocumentRecord(Row, Published):
    doc_id: str
    source: str | None
    title: str | None
    publisher: str | None
    lang: str | None
    lang_score: float | None
    text: str | None
    removed: list[RemovedLine] = Field(description="Lines the cleaner removed, with the reason.")
    duplicate_of: str | None
    event_id: str | None
    story_id: str | None
    url: str | None
    author: str | None
    format: str | None
    mixed_lang: bool | None
    paragraphs: list[ParagraphSpan]
    run_id: int | None


class Span(Row):
    start: int | None = Field(description="Offset in the document's text (a Python string index).")
    end: int | None
    text: str | None


class EntitySpan(Span):
    type: str | None
    entity_id: str | None
    name: str | None


class DateSpan(Span):
    value: str | None = Field(description="ISO 8601 at the text's precision: 2021, 2021-03, 2021-03-09, 2021-W09, "
                                          "--03-09 (no year known).")


class QuantitySpan(Span):
    value: float | None
    unit: str | None
    kind: str | None


class DocumentSpans(Model):
    entities: list[EntitySpan]
    dates: list[DateSpan]
    quantities: list[QuantitySpan]


class DocumentDetail(Model):
    document: DocumentRecord
    spans: DocumentSpans
    story: StoryHead | None
    dir: Dir
    missing: str | None


class SimilarDocument(Model, Published):
    doc_id: str
    title: str | None
    lang: str | None
    publisher: str | None
    event_id: str | None
    story_id: str | None
    similarity: float = Field(ge=0, le=1)
    same_event: bool
    same_story: bool


class SimilarList(Model):
    doc_id: str
    items: list[SimilarDocument]
    statistics: bool = Field(description="Whether the similarity pass's corpus statistics were used.")
    note: str | None


# ---------------------------------------------------------------------------- entities
class EntityListItem(Row):
    entity_id: str
    name: str | None
    type: str | None
    mentions: int
    documents: int


class EntityList(Page):
    items: list[EntityListItem]
    missing: str | None


class Alias(Row):
    alias: str | None
    lang: str
    mentions: int
    script: str = Field(description="Unicode script of the first letter (LATIN, ARABIC, ...).")
    dir: Dir


class MonthCount(Row):
    month: str | None = Field(description="YYYY-MM.")
    mentions: int
    documents: int


class EntityStory(StorySummary):
    matched: int = Field(description="The story's documents that mention the entity.")


class LatLon(Model):
    lat: float
    lon: float
    country: str | None


class EntityDetail(Model):
    entity: EntityListItem
    aliases: list[Alias]
    aliases_by_lang: dict[str, list[Alias]]
    timeline: list[MonthCount]
    timeline_peak: int
    cooccurring: list[StoryEntity]
    stories: list[EntityStory]
    documents: list[DocumentHead]
    place: LatLon | None
    missing: dict[str, str | None]


# ---------------------------------------------------------------------------- search
class SnippetPart(Model):
    text: str
    match: bool


class SearchHit(Model, Published):
    doc_id: str
    rank: float
    title: str | None
    publisher: str | None
    lang: str | None
    dir: Dir
    story_id: str | None
    snippet: list[SnippetPart]


class SearchEntity(Model):
    entity_id: str
    name: str | None


class IndexProgress(Model):
    indexed: int
    in_store: int | None
    building: bool


class SearchResults(Page):
    q: str
    items: list[SearchHit]
    entities: list[SearchEntity]
    note: str | None
    index: IndexProgress | None = Field(description="null when full-text search is disabled.")


# ---------------------------------------------------------------------------- runs
class RunRecord(Row):
    run_id: int
    started_at: Timestamp = Field(description="When the run started (UTC).")
    finished_at: Timestamp
    inputs: list[str | None]
    documents_added: int | None
    already_stored: int | None
    rejected: int | None
    status: str | None
    stats: dict[str, Any] = Field(description="Per-stage counters of the run.")


class RunList(Page):
    items: list[RunRecord]


class RejectRow(Row):
    source: str | None
    line: int | None
    reason: str | None


class ReasonCount(Row):
    reason: str | None
    n: int


class RunDetail(Page):
    run: RunRecord
    rejects: list[RejectRow]
    reasons: list[ReasonCount]
