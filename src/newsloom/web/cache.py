"""Whole-response cache for the web server, kept per store version.

Every page is a pure function of (URL, store contents, search index state), and the store only
changes when `newsloom analyze` writes. So a response, once rendered, can be sent again as is
until the store's *version* changes: the (mtime, size) signature of the store file and its WAL
(``StoreReader.signature``: two ``stat`` calls) plus the search index's progress. A new run
changes the signature, and every cached response of the previous version stops matching.

Correctness under a concurrent writer: the version is read before the response is computed and
again after; the response is kept only when both agree (a write that lands in between leaves it
uncached). A view that knowingly serves data of an older version (``views.VersionCache`` while it
recomputes) calls ``uncacheable()`` so that response is not kept either.

Bounded: at most ``max_entries`` responses and ``max_bytes`` of bodies, least recently used
evicted first; responses larger than ``max_item`` bytes, non-200 responses, non-GET requests and
paths outside ``prefixes`` are never kept. Only what the app itself rendered is stored: the cache
adds no input of its own to SQL or HTML.
"""

from __future__ import annotations

import contextvars
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

_REQUEST_FLAGS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("newsloom_cache_flags", default=None)


def uncacheable() -> None:
    """Mark the response being computed as not to be kept (it shows data of an older version)."""
    flags = _REQUEST_FLAGS.get()
    if flags is not None:
        flags["store"] = False


class ResponseCache:
    """Whole GET responses, replayed while the store version is unchanged (``CacheMiddleware``)."""

    def __init__(self, *, version: Callable[[], Any], prefixes: Iterable[str],
                 max_entries: int = 2048, max_bytes: int = 64 << 20, max_item: int = 4 << 20) -> None:
        self.version = version
        self.prefixes = tuple(prefixes)
        self.max_entries, self.max_bytes, self.max_item = max_entries, max_bytes, max_item
        self._entries: OrderedDict[tuple, tuple[Any, int, list, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    # -- bookkeeping ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _get(self, key: tuple, version: Any):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] != version:  # an older version of the store: drop it
                del self._entries[key]
                self._bytes -= len(entry[3])
                return None
            self._entries.move_to_end(key)
            return entry

    def _put(self, key: tuple, entry: tuple) -> None:
        size = len(entry[3])
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[3])
            self._entries[key] = entry
            self._bytes += size
            while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[3])

    # -- ASGI -----------------------------------------------------------------------------
    async def handle(self, app, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            await app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        version = self.version()
        entry = self._get(key, version)
        if entry is not None:
            self.hits += 1
            _, status, headers, body = entry
            await send({"type": "http.response.start", "status": status,
                        "headers": headers + [(b"x-newsloom-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        flags = {"store": True}
        token = _REQUEST_FLAGS.set(flags)
        start: dict | None = None
        chunks: list[bytes] = []
        size = 0

        async def capture(message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    flags["store"] = False
                message = {**message, "headers": list(message.get("headers", [])) + [(b"x-newsloom-cache", b"miss")]}
            elif message["type"] == "http.response.body" and flags["store"]:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_item:
                    flags["store"] = False
                    chunks.clear()
                else:
                    chunks.append(body)
                last = not message.get("more_body", False)
                # kept only if no write landed while this was computed
                if last and flags["store"] and start is not None and self.version() == version:
                    self._put(key, (version, start["status"], list(start.get("headers", [])), b"".join(chunks)))
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            _REQUEST_FLAGS.reset(token)


class CacheMiddleware:
    """ASGI middleware serving GET requests through a ``ResponseCache``."""

    def __init__(self, app, cache: ResponseCache) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope, receive, send) -> None:
        await self.cache.handle(self.app, scope, receive, send)
