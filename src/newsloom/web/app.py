"""The web face of the store: server-rendered pages and a JSON API, read-only, offline.

``create_app(db_path)`` returns the FastAPI app; ``newsloom serve`` runs it with uvicorn on
127.0.0.1 unless told otherwise. Every route is a GET (any other method gets 405); every list
is paginated and bounded; every page escapes store text (Jinja autoescape, JSON for scripts
through ``|tojson`` in ``<script type="application/json">``) and a Content-Security-Policy
allows only the app's own scripts, styles and map data, all vendored under ``static/``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders

from newsloom.store.dialect import is_url
from newsloom.store.duckdb import StoreError
from newsloom.web import apimodels as api
from newsloom.web import places, queries, views
from newsloom.web.cache import CacheMiddleware, ResponseCache
from newsloom.web.db import StoreReader
from newsloom.web.search import SearchIndex

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty: the form sends from= when unset
ID_MAX = 300
SAFE_METHODS = {"GET", "HEAD"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
       " font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# swagger-ui sets inline styles; its scripts still come only from /static
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Page size (at most 200).")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Rows to skip.")]
Lang = Annotated[str | None, Query(max_length=16, description="Language code, e.g. en, id, ar.")]
Outlet = Annotated[str | None, Query(max_length=200, description="Publisher name, exactly.")]
DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE, description="Published on or after (ISO date).")]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE, description="Published on or before (ISO date).")]
EntityQ = Annotated[str | None, Query(max_length=ID_MAX, description="An entity_id the documents mention.")]
TextQ = Annotated[str | None, Query(max_length=300, description="Full-text search words (all required).")]


def _blank(v: str | None) -> str | None:
    return v if v not in ("", None) else None


def _filter(lang, outlet, date_from, date_to, entity) -> queries.DocFilter:
    return queries.DocFilter(lang=_blank(lang), outlet=_blank(outlet), date_from=_blank(date_from),
                             date_to=_blank(date_to), entity=_blank(entity))


class ReadOnlyHeaders:
    """ASGI middleware: only GET and HEAD get through (405 otherwise); every response gets the
    security headers. Plain ASGI rather than ``@app.middleware("http")``: that wrapper costs a
    task and a stream per request, more than a cached page."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            response = JSONResponse({"detail": "read-only: only GET and HEAD are allowed"}, status_code=405,
                                    headers={"Allow": "GET, HEAD"})
            await response(scope, receive, self._send_with_headers(scope, send))
            return
        await self.app(scope, receive, self._send_with_headers(scope, send))

    @staticmethod
    def _send_with_headers(scope, send):
        path = scope["path"]

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = DOCS_CSP if path == "/docs" else CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                if path.startswith("/static/"):
                    headers["Cache-Control"] = "public, max-age=3600"
            await send(message)

        return send_with_headers


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # templates are compiled once and kept: no stat() of every template on every render
        # (set NEWSLOOM_WEB_RELOAD=1 while editing templates)
        auto_reload=os.environ.get("NEWSLOOM_WEB_RELOAD") == "1",
        cache_size=400,
    )
    env.filters["num"] = lambda n: "" if n is None else f"{n:,}"
    env.filters["day"] = lambda s: (s or "")[:10]
    env.globals["entity_types"] = ENTITY_TYPES
    return Jinja2Templates(env=env)


# Pages kept whole by the response cache (everything a GET renders from the store); /api/status,
# /healthz, /docs and /static are not (cheap, or cached by the browser).
CACHED_PREFIXES = ("/stories", "/documents", "/entities", "/search", "/runs", "/partials/", "/api/stories",
                   "/api/documents", "/api/entities", "/api/search", "/api/runs")


def create_app(db_path: str | Path, *, search: bool = True, reader: StoreReader | None = None,
               index_path: str | Path | None = None, sync_interval: float = 3.0,
               cache_entries: int | None = None, cache_bytes: int = 64 << 20) -> FastAPI:
    """The FastAPI app serving the store at ``db_path`` (read-only).

    Responses are cached whole per store version (``cache.ResponseCache``: at most
    ``cache_entries`` responses, by default 2048 or $NEWSLOOM_WEB_CACHE_ENTRIES, and ``cache_bytes``
    bytes; 0 entries turns it off)."""
    if cache_entries is None:
        cache_entries = int(os.environ.get("NEWSLOOM_WEB_CACHE_ENTRIES", "2048"))
    db_path = Path(db_path)
    reader = reader or StoreReader(db_path)
    index: SearchIndex | None = None
    if search:
        try:
            index = SearchIndex(reader, index_path)
        except (OSError, sqlite3.Error) as exc:  # a cache: the site works without it
            log.warning("full-text search disabled: cannot open the index beside %s: %s", db_path, exc)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        threading.Thread(target=places.country_centres, daemon=True).start()  # warm the map data
        if index is not None and (is_url(db_path) or db_path.exists()):  # a file, or a postgresql:// store
            index.start(sync_interval)
        yield
        if index is not None:
            index.stop()
        reader.close()

    app = FastAPI(
        title="newsloom",
        summary="Stories, documents, entities, claims and runs of a newsloom store (read-only).",
        version="1",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.reader = reader
    cache = views.VersionCache(reader)
    app.state.search = index
    templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def version() -> tuple:
        """What every cached response depends on besides its URL: the store file's signature and
        the search index's progress (its notes and hits change while it catches up)."""
        if index is None:
            return reader.signature(), None
        st = index.status
        return reader.signature(), (st.indexed, st.in_store, st.building, st.error)

    app.state.response_cache = None
    if cache_entries > 0:  # innermost middleware: the security headers below are added to hits too
        app.state.response_cache = ResponseCache(version=version, prefixes=CACHED_PREFIXES,
                                                 max_entries=cache_entries, max_bytes=cache_bytes)
        app.add_middleware(CacheMiddleware, cache=app.state.response_cache)

    app.add_middleware(ReadOnlyHeaders)  # outermost: 405 for writes, security headers on every response

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return templates.TemplateResponse(request, "error.html", {"title": "Store unavailable", "message": str(exc),
                                                                  "nav": ""}, status_code=503)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or exc.status_code == 405:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(request, "error.html", {"title": str(exc.status_code),
                                                                  "message": str(exc.detail), "nav": ""},
                                          status_code=exc.status_code)

    def render(request: Request, name: str, ctx: dict[str, Any]) -> HTMLResponse:
        ctx.setdefault("db", str(db_path))
        return templates.TemplateResponse(request, name, ctx)

    def page_url(request: Request, offset: int | None) -> str | None:
        if offset is None:
            return None
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
        params.append(("offset", str(offset)))
        return f"{request.url.path}?{urlencode(params)}"

    # ---------------------------------------------------------------- HTML pages
    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/stories", status_code=307)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, lang: Lang = None, outlet: Outlet = None, date_from: DateFrom = None,
                     date_to: DateTo = None, entity: EntityQ = None, q: TextQ = None,
                     sort: Annotated[str, Query(pattern="^(recent|size)$")] = "recent",
                     limit: Limit = 50, offset: Offset = 0):
        flt = _filter(lang, outlet, date_from, date_to, entity)
        data = views.stories(reader, index, flt, _blank(q), sort, limit, offset, cache)
        docs = None
        if data["missing"] == views.MISSING["stories"]:  # no clusters yet: list documents meanwhile
            flt2 = _filter(lang, outlet, date_from, date_to, entity)
            docs = views.documents(reader, index, flt2, _blank(q), limit, offset)
        return render(request, "stories.html", {
            "nav": "stories", "data": data, "docs": docs, "facets": views.facets(reader, cache),
            "form": {"lang": lang or "", "outlet": outlet or "", "from": date_from or "", "to": date_to or "",
                     "entity": entity or "", "q": q or "", "sort": sort},
            "next_url": page_url(request, data["next_offset"] if docs is None else docs["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/stories/{cluster_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, cluster_id: str):
        data = views.story(reader, cluster_id[:ID_MAX])
        if data is None:
            moved = views.renamed_story(reader, cluster_id[:ID_MAX])
            if moved:
                return RedirectResponse(f"/stories/{quote(moved, safe='')}", status_code=308)
            raise HTTPException(404, f"no story {cluster_id[:ID_MAX]!r}")
        return render(request, "story.html", {"nav": "stories", "data": data, "map": {
            "places": data["places"], "atlas": "/static/vendor/world-atlas/countries-50m.json"}})

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, lang: Lang = None, outlet: Outlet = None, date_from: DateFrom = None,
                       date_to: DateTo = None, entity: EntityQ = None, q: TextQ = None,
                       limit: Limit = 50, offset: Offset = 0):
        flt = _filter(lang, outlet, date_from, date_to, entity)
        data = views.documents(reader, index, flt, _blank(q), limit, offset)
        return render(request, "documents.html", {
            "nav": "documents", "data": data, "facets": views.facets(reader, cache),
            "form": {"lang": lang or "", "outlet": outlet or "", "from": date_from or "", "to": date_to or "",
                     "entity": entity or "", "q": q or ""},
            "next_url": page_url(request, data["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str,
                      start: Annotated[int | None, Query(ge=0)] = None, end: Annotated[int | None, Query(ge=0)] = None):
        hl = (start, end) if start is not None and end is not None and end > start else None
        data = views.document(reader, doc_id[:ID_MAX], hl)
        if data is None:
            raise HTTPException(404, f"no document {doc_id[:ID_MAX]!r}")
        return render(request, "document.html", {"nav": "documents", "data": data, "highlight": hl})

    @app.get("/partials/source", response_class=HTMLResponse, include_in_schema=False)
    def source_partial(request: Request, doc_id: Annotated[str, Query(max_length=ID_MAX)],
                       start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=0)]):
        row = views.context(reader, doc_id, start, max(start, end))
        if row is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return render(request, "_source.html", {"src": row})

    @app.get("/partials/similar", response_class=HTMLResponse, include_in_schema=False)
    def similar_partial(request: Request, doc_id: Annotated[str, Query(max_length=ID_MAX)]):
        data = views.similar(reader, doc_id)
        if data is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return render(request, "_similar.html", {"sim": data})

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, q: TextQ = None,
                      type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC|)$")] = None,
                      limit: Limit = 50, offset: Offset = 0):
        data = views.entities(reader, _blank(q), _blank(type), limit, offset)
        return render(request, "entities.html", {
            "nav": "entities", "data": data, "form": {"q": q or "", "type": type or ""},
            "next_url": page_url(request, data["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str):
        data = views.entity(reader, entity_id[:ID_MAX])
        if data is None:
            raise HTTPException(404, f"no entity {entity_id[:ID_MAX]!r}")
        return render(request, "entity.html", {"nav": "entities", "data": data, "map": {
            "places": [{**data["place"], "name": data["entity"]["name"], "entity_id": data["entity"]["entity_id"],
                        "mentions": data["entity"]["mentions"], "documents": data["entity"]["documents"]}]
            if data["place"] else [], "atlas": "/static/vendor/world-atlas/countries-50m.json"}})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: TextQ = None, lang: Lang = None, limit: Limit = 20, offset: Offset = 0):
        data = views.search(reader, index, q or "", _blank(lang), limit, offset)
        return render(request, "search.html", {
            "nav": "search", "data": data, "form": {"q": q or "", "lang": lang or ""},
            "facets": views.facets(reader, cache),
            "next_url": page_url(request, data["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/runs", response_class=HTMLResponse, include_in_schema=False)
    def runs_page(request: Request, limit: Limit = 50, offset: Offset = 0):
        data = views.runs(reader, limit, offset)
        return render(request, "runs.html", {
            "nav": "runs", "data": data, "status": views.status(reader, index),
            "next_url": page_url(request, data["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run_id: int, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                 offset: Offset = 0):
        data = views.run(reader, run_id, limit, offset)
        if data is None:
            raise HTTPException(404, f"no run {run_id}")
        return render(request, "run.html", {
            "nav": "runs", "data": data, "next_url": page_url(request, data["next_offset"]),
            "prev_url": page_url(request, max(0, offset - limit)) if offset else None,
        })

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        """OpenAPI docs with the vendored swagger-ui (FastAPI's default page loads it from a CDN)."""
        return templates.TemplateResponse(request, "docs.html", {})

    # ---------------------------------------------------------------- JSON API
    @app.get("/api/status", tags=["store"], summary="Row counts of every table and the search index state",
             response_model=api.Status, responses=api.STORE_ERRORS)
    def api_status() -> dict[str, Any]:
        return views.status(reader, index)

    @app.get("/api/stories", tags=["stories"], summary="Stories, newest or largest first, filterable",
             response_model=api.StoryList, responses=api.STORE_ERRORS)
    def api_stories(lang: Lang = None, outlet: Outlet = None, date_from: DateFrom = None, date_to: DateTo = None,
                    entity: EntityQ = None, q: TextQ = None,
                    sort: Annotated[str, Query(pattern="^(recent|size)$", description="recent or size")] = "recent",
                    limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return views.stories(reader, index, _filter(lang, outlet, date_from, date_to, entity), _blank(q), sort,
                             limit, offset, cache)

    @app.get("/api/stories/{cluster_id}", tags=["stories"],
             summary="One story: documents, timeline, places, entities and claims",
             response_model=api.StoryDetail, responses={**api.NOT_FOUND, **api.MOVED})
    def api_story(cluster_id: str) -> Any:
        data = views.story(reader, cluster_id[:ID_MAX])
        if data is None:
            moved = views.renamed_story(reader, cluster_id[:ID_MAX])
            if moved:
                return RedirectResponse(f"/api/stories/{quote(moved, safe='')}", status_code=308)
            raise HTTPException(404, f"no story {cluster_id[:ID_MAX]!r}")
        for chart in data["indicators"]:
            chart.pop("svg", None)  # the page's drawing; the API gives the points
        return data

    @app.get("/api/stories/{cluster_id}/events", tags=["stories"],
             summary="A story's coded events (who did what to whom, where, when), in date order",
             response_model=api.EventList, responses=api.NOT_FOUND)
    def api_story_events(cluster_id: str, limit: Limit = 50, offset: Offset = 0,
                         type: Annotated[str | None, Query(pattern="^[A-Z_]{2,20}$",
                                                           description="A PLOVER type, e.g. ASSAULT.")] = None,
                         mode: Annotated[str | None, Query(pattern="^(asserted|planned|demanded|denied|hypothetical)$",
                                                           description="Only events of this mode.")] = None
                         ) -> dict[str, Any]:
        data = views.story_events(reader, cluster_id[:ID_MAX], limit, offset, type, mode)
        if data is None:
            raise HTTPException(404, f"no story {cluster_id[:ID_MAX]!r}")
        return data

    @app.get("/api/documents", tags=["documents"], summary="Documents, newest first, filterable",
             response_model=api.DocumentList, responses=api.STORE_ERRORS)
    def api_documents(lang: Lang = None, outlet: Outlet = None, date_from: DateFrom = None,
                      date_to: DateTo = None, entity: EntityQ = None, q: TextQ = None,
                      limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return views.documents(reader, index, _filter(lang, outlet, date_from, date_to, entity), _blank(q),
                               limit, offset)

    @app.get("/api/documents/{doc_id}", tags=["documents"],
             summary="One document: cleaned text, removed lines, paragraphs, entities, dates, quantities",
             response_model=api.DocumentDetail, responses=api.NOT_FOUND)
    def api_document(doc_id: str) -> dict[str, Any]:
        data = views.document(reader, doc_id[:ID_MAX])
        if data is None:
            raise HTTPException(404, f"no document {doc_id[:ID_MAX]!r}")
        data.pop("paragraphs")
        return data

    @app.get("/api/documents/{doc_id}/similar", tags=["documents"],
             summary="Documents that tell the same story, most similar first (score in [0, 1])",
             response_model=api.SimilarList, responses=api.NOT_FOUND)
    def api_similar(doc_id: str, limit: Limit = 10) -> dict[str, Any]:
        data = views.similar(reader, doc_id[:ID_MAX], limit)
        if data is None:
            raise HTTPException(404, f"no document {doc_id[:ID_MAX]!r}")
        return data

    @app.get("/api/entities", tags=["entities"], summary="Linked entities, most mentioned first",
             response_model=api.EntityList, responses=api.STORE_ERRORS)
    def api_entities(q: TextQ = None,
                     type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC)$")] = None,
                     limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return views.entities(reader, _blank(q), type, limit, offset)

    @app.get("/api/entities/{entity_id:path}", tags=["entities"],
             summary="One entity: aliases per language and script, mentions over time, co-occurring entities",
             response_model=api.EntityDetail, responses=api.NOT_FOUND)
    def api_entity(entity_id: str) -> dict[str, Any]:
        data = views.entity(reader, entity_id[:ID_MAX])
        if data is None:
            raise HTTPException(404, f"no entity {entity_id[:ID_MAX]!r}")
        return data

    @app.get("/api/search", tags=["search"], summary="Full-text search over titles, outlets and texts",
             response_model=api.SearchResults, responses=api.STORE_ERRORS)
    def api_search(q: Annotated[str, Query(min_length=1, max_length=300)], lang: Lang = None,
                   limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Offset = 0) -> dict[str, Any]:
        return views.search(reader, index, q, _blank(lang), limit, offset)

    @app.get("/api/runs", tags=["runs"], summary="Runs of `newsloom analyze`, newest first",
             response_model=api.RunList, responses=api.STORE_ERRORS)
    def api_runs(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return views.runs(reader, limit, offset)

    @app.get("/api/runs/{run_id}", tags=["runs"], summary="One run with its rejects and their reasons",
             response_model=api.RunDetail, responses=api.NOT_FOUND)
    def api_run(run_id: int, limit: Annotated[int, Query(ge=1, le=1000)] = 200, offset: Offset = 0
                ) -> dict[str, Any]:
        data = views.run(reader, run_id, limit, offset)
        if data is None:
            raise HTTPException(404, f"no run {run_id}")
        return data

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    return app


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn (the `newsloom serve` command)."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level=log_level)
