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
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Dir = Literal["ltr", "rtl", "auto"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Row(BaseModel):
    model_config = ConfigDict(extra="allow")


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
    start_date: str | None
    end_date: str | None
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


class DocumentHead(Row):
    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    lang: str | None


class StoryDocument(DocumentHead):
    duplicate_of: str | None
    event_id: str | None
    source: str | None
    lead: str | None = Field(description="The first 400 characters of the text.")
    length: int | None
    dir: Dir


class StoryDay(Model):
    day: str
    size: int
    outlets: list[str]


class EventMentions(Row):
    type: str | None
    date: str | None
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


class ClaimSource(Row):
    doc_id: str | None
    start: int | None
    end: int | None
    text: str | None
    publisher: str | None
    lang: str | None
    published: str | None
    attributed_to: str | None = Field(None, description="Who it is quoted from: entity id, else the name as written.")


class Claim(Row):
    claim_id: str
    cluster_id: str | None
    statement: str | None
    value: float | None
    status: str | None
    sources: list[ClaimSource]
    contradicting: list[ClaimSource]


class StoryMissing(Model):
    events: str | None
    claims: str | None
    places: str | None


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


class DocumentRecord(Row):
    doc_id: str
    source: str | None
    title: str | None
    publisher: str | None
    published: str | None
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
    value: str | None = Field(description="ISO 8601 at the text's precision.")


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


class SimilarDocument(Model):
    doc_id: str
    title: str | None
    lang: str | None
    publisher: str | None
    published: str | None
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
    month: str | None
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


class SearchHit(Model):
    doc_id: str
    rank: float
    title: str | None
    publisher: str | None
    published: str | None
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
    started_at: datetime | None = Field(description="UTC, RFC 3339.")
    finished_at: datetime | None
    inputs: list[str | None]
    documents_added: int | None
    already_stored: int | None
    rejected: int | None
    status: str | None
    stats: dict[str, Any] = Field(description="Per-stage counters of the run.")

    @field_validator("started_at", "finished_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """The store keeps UTC without a zone; an RFC 3339 date-time needs one (``Z``)."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


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
