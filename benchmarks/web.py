"""Web server load benchmark: requests/s and p50/p99 latency of `newsloom serve` on a large store.

    .venv/bin/python benchmarks/web.py [--docs 100000] [--rate 50] [--seconds 20] [--store PATH]

Builds (once, cached at --store) a store of --docs synthetic documents recombined from NTREX-128
sentence windows (24 languages incl. Arabic; ../shared/data/ntrex, never copied into the repo),
with synthetic entity, date and quantity rows, story/event clusters (about 10 documents a story)
and claims, inserted straight into the store tables. It then starts `newsloom serve` as a
subprocess on 127.0.0.1 (a free port) and drives it with an open-loop asyncio/httpx load
generator at a fixed rate (--rate requests/s for --seconds, every request to 127.0.0.1 only),
for each of: the story list, a story page, a document page, full-text search (SQLite FTS5 side
index) and the JSON story list. Latency is measured from the scheduled send time, so a slow
server cannot hide queueing (no coordinated omission). The server runs twice: as shipped (its
response cache on, `x-newsloom-cache: hit|miss` on every cached path) and with the cache off
(NEWSLOOM_WEB_CACHE_ENTRIES=0), the same-run baseline; --no-uncached-baseline skips the second.

Baselines measured in the same run, on the same store:
- search: SQLite FTS5 (what the server uses) against a DuckDB `ILIKE` scan of documents.text
  and, when it loads offline, DuckDB's `fts` extension (it usually needs a download: reported).
- connections: the cost of opening a read-only DuckDB connection per request (the server's
  design, which lets `newsloom analyze` write between requests) against a held connection.
Target (issue 5): p99 under 200 ms at 50 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex"
LANG3 = {  # NTREX file code -> the store's language code
    "eng": "en", "arb": "ar", "ind": "id", "msa": "ms", "deu": "de", "fra": "fr", "spa": "es", "ita": "it",
    "por": "pt", "nld": "nl", "pol": "pl", "rus": "ru", "ukr": "uk", "tur": "tr", "fas": "fa", "urd": "ur",
    "heb": "he", "hin": "hi", "ben": "bn", "tha": "th", "vie": "vi", "swa": "sw", "jpn": "ja", "kor": "ko",
    "zho-CN": "zh",
}
RTL = {"ar", "fa", "ur", "he"}
COUNTRIES = ["EG", "ID", "MY", "US", "GB", "FR", "DE", "RU", "UA", "TR", "IR", "PK", "IN", "CN", "JP", "BR",
             "NG", "KE", "ZA", "AU", "SA", "AE", "IQ", "SY", "IL", "PS", "LB", "JO", "QA", "PH"]
KINDS = ["killed", "injured", "arrested", "personnel", "money", "other"]
STATUSES = ["corroborated", "contradicted", "single-source"]
_WORD = re.compile(r"\w{4,}")
_NUM = re.compile(r"\d[\d.,]*")


def load_ntrex(root: Path = NTREX) -> dict[str, dict[str, list[str]]]:
    """{ntrex doc id: {store lang: [sentences]}}."""
    ids = (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, dict[str, list[str]]] = {}
    for path in sorted((root / "NTREX-128").glob("newstest2019-*.txt")):
        code = path.stem.split(".", 1)[1]
        lang = LANG3.get(code)
        if lang is None:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for doc_id, sentence in zip(ids, lines):
            docs.setdefault(doc_id, {}).setdefault(lang, []).append(sentence.strip())
    return docs


def add_indexes(path: Path) -> None:
    """Bring a benchmark store up to the current schema: migration 2 adds the lookup indexes the
    web pages need (entities/dates/quantities/events by document, clusters by parent, ...)."""
    from newsloom.store.duckdb import open_store

    with open_store(path) as store:  # opening for writing applies pending migrations
        store.con.execute("CHECKPOINT")


def _id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def build_store(path: Path, n_docs: int, seed: int = 7, batch: int = 5000) -> None:
    """A store of ``n_docs`` synthetic documents with annotations, clusters and claims."""
    from newsloom.store.duckdb import open_store

    rng = random.Random(seed)
    ntrex = load_ntrex()
    names = sorted(ntrex)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    day0 = date(2023, 1, 1)
    n_stories = max(1, n_docs // 10)
    stories = []  # (story id, ntrex doc, base day)
    for s in range(n_stories):
        stories.append((f"s-{_id('story', s)}", rng.choice(names), rng.randrange(0, 700)))
    members: dict[str, list[str]] = {}
    event_members: dict[str, list[str]] = {}
    story_titles: dict[str, str] = {}
    story_dates: dict[str, list[str]] = {}
    event_story: dict[str, str] = {}
    heads: dict[str, list[dict]] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    with open_store(path) as store:
        run_id = store.begin_run([f"synthetic:{n_docs}"])
        store.finish_run(run_id, added=n_docs, already_stored=0, rejects=[], stats={"synthetic": n_docs})
    for lo in range(0, n_docs, batch):
        docs, ents, dates_, quants = [], [], [], []
        for i in range(lo, min(n_docs, lo + batch)):
            story, nid, base = stories[i % n_stories]
            langs = sorted(ntrex[nid])
            lang = rng.choice(langs)
            sents = ntrex[nid][lang]
            start = rng.randrange(0, max(1, len(sents) - 4))
            window = sents[start:start + rng.randint(4, 12)]
            sep = "\n\n"
            text = sep.join(window)
            paragraphs, pos = [], 0
            for s_ in window:
                paragraphs.append({"start": pos, "end": pos + len(s_), "lang": lang, "lang_score": 0.99})
                pos += len(s_) + len(sep)
            published = (day0 + timedelta(days=base + rng.randrange(0, 5))).isoformat()
            doc_id = _id("doc", i)
            event = f"e-{_id(story, i % 3)}"
            docs.append({
                "doc_id": doc_id, "source": f"synthetic/{nid}/{lang}/{i}.txt", "title": window[0][:120],
                "publisher": rng.choice(outlets), "published": published, "lang": lang, "lang_score": 0.99,
                "text": text, "removed": [{"text": "Share this article", "reason": "boilerplate"}],
                "duplicate_of": None, "event_id": event, "story_id": story, "format": "text",
                "mixed_lang": False, "paragraphs": paragraphs, "sentences": [], "raw": None, "run_id": run_id,
            })
            members.setdefault(story, []).append(doc_id)
            event_story[event] = story
            if len(heads.setdefault(story, [])) < 3:
                cut = min(len(window[0]), 60)
                heads[story].append({"doc_id": doc_id, "start": 0, "end": cut, "text": text[:cut]})
            event_members.setdefault(event, []).append(doc_id)
            story_titles.setdefault(story, window[0][:120])
            story_dates.setdefault(story, []).append(published)
            for k, m in enumerate(_WORD.finditer(text)):
                if k % 7:
                    continue
                word = m.group(0)
                if k % 21 == 0:
                    cc = COUNTRIES[hash(word) % len(COUNTRIES)]
                    ents.append({"doc_id": doc_id, "start": m.start(), "end": m.end(), "text": word,
                                 "type": "LOC", "entity_id": f"geo:{cc}", "name": cc})
                else:
                    ents.append({"doc_id": doc_id, "start": m.start(), "end": m.end(), "text": word,
                                 "type": rng.choice(["PER", "ORG", "MISC"]),
                                 "entity_id": f"kb:{word.lower()}", "name": word})
            for m in _NUM.finditer(text):
                digits = m.group(0).rstrip(".,")
                end = m.start() + len(digits)
                try:
                    value = float(digits.replace(",", ""))
                except ValueError:
                    continue
                if len(digits) == 4 and 1900 < value < 2100:
                    dates_.append({"doc_id": doc_id, "start": m.start(), "end": end, "text": digits,
                                   "value": digits})
                else:
                    quants.append({"doc_id": doc_id, "start": m.start(), "end": end, "text": digits,
                                   "value": value, "unit": "people", "kind": rng.choice(KINDS)})
        with open_store(path) as store:
            store.con.execute("BEGIN TRANSACTION")
            store._bulk_insert("documents", docs)
            store._bulk_insert("entities", ents)
            store._bulk_insert("dates", dates_)
            store._bulk_insert("quantities", quants)
            store.con.execute("COMMIT")
    clusters, claims = [], []
    for story, ids in members.items():
        ds = sorted(story_dates[story])
        clusters.append({"cluster_id": story, "level": "story", "parent": None, "doc_ids": ids,
                         "title": story_titles[story], "start_date": ds[0], "end_date": ds[-1]})
        for c in range(3):
            sources = heads[story][: 1 + c]
            claims.append({"claim_id": _id(story, "claim", c), "cluster_id": story,
                           "statement": f"claim {c} of the story", "value": float(c * 10),
                           "status": STATUSES[c], "sources": sources[:1] if c == 1 else sources,
                           "contradicting": sources[1:] if c == 1 else []})
    for event, ids in event_members.items():
        clusters.append({"cluster_id": event, "level": "event", "parent": event_story[event], "doc_ids": ids,
                         "title": None, "start_date": None, "end_date": None})
    with open_store(path) as store:
        store.con.execute("BEGIN TRANSACTION")
        store._bulk_insert("clusters", clusters)
        store._bulk_insert("claims", claims)
        store.con.execute("COMMIT")
        store.con.execute("CHECKPOINT")


# -- measurements ----------------------------------------------------------------------------
def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t))
    return out


def connection_baselines(db: Path, n: int = 20) -> list[tuple[str, list[float]]]:
    """Per-request open+query+close against one held connection."""
    import duckdb

    sql = "SELECT cluster_id FROM clusters WHERE level = 'story' ORDER BY end_date DESC LIMIT 50"

    def per_request():
        con = duckdb.connect(str(db), read_only=True)
        con.execute(sql).fetchall()
        con.close()

    held = duckdb.connect(str(db), read_only=True)
    rows = [("open + query + close per request", _timed(per_request, n)),
            ("held connection, query only", _timed(lambda: held.execute(sql).fetchall(), n))]
    held.close()
    return rows


def search_baselines(db: Path, index: Path, words: list[str], n: int = 20) -> list[tuple[str, list[float] | str]]:
    """FTS5 side index (the server's engine) against DuckDB ILIKE and DuckDB's fts extension."""
    import duckdb

    from newsloom.web.search import fts_query

    rng = random.Random(3)
    picks = [rng.choice(words) for _ in range(n)]
    it = iter(picks * 3)
    lite = sqlite3.connect(index)
    out: list[tuple[str, list[float] | str]] = []
    out.append(("SQLite FTS5 side index (top 20 by bm25)", _timed(lambda: lite.execute(
        "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rank LIMIT 20", [fts_query(next(it))]
    ).fetchall(), n)))
    con = duckdb.connect(str(db), read_only=True)
    it2 = iter(picks * 3)
    out.append(("DuckDB ILIKE scan of documents.text (first 20)", _timed(lambda: con.execute(
        "SELECT doc_id FROM documents WHERE text ILIKE ? LIMIT 20", ["%" + next(it2) + "%"]).fetchall(), n)))
    try:
        con.execute("LOAD fts")
        out.append(("DuckDB fts extension", "loaded (index would have to be built by the writer)"))
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        out.append(("DuckDB fts extension", f"unavailable offline: {str(exc).splitlines()[0][:90]}"))
    con.close()
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _load(base: str, urls, rate: float, seconds: float) -> dict:
    """Open-loop load: request i is due at t0 + i/rate; latency counts from the due time."""
    import httpx

    lat: list[float] = []
    errors: list[str] = []
    hits = [0]
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        loop = asyncio.get_running_loop()
        t0 = loop.time() + 0.1
        total = int(rate * seconds)

        async def one(i: int, url: str) -> None:
            due = t0 + i / rate
            try:
                r = await client.get(url)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {url}")
                hits[0] += r.headers.get("x-newsloom-cache") == "hit"
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {url}")
            lat.append(1000 * (loop.time() - due))

        tasks = []
        for i in range(total):
            delay = t0 + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, urls())))
        await asyncio.gather(*tasks)
        wall = loop.time() - t0
    return {"sent": total, "errors": errors, "lat": lat, "rps": len(lat) / wall if wall else 0.0, "hits": hits[0]}


def _service(client, urls, n: int) -> tuple[list[float], list[float]]:
    """One request at a time: (ms of responses the server computed, ms of responses it replayed from
    its response cache, told apart by its ``x-newsloom-cache`` header; a server without one: all computed)."""
    miss, hit = [], []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(urls())
        ms = 1000 * (time.perf_counter() - t)
        (hit if r.headers.get("x-newsloom-cache") == "hit" else miss).append(ms)
    return miss, hit


def run_server(db: Path, port: int, cache: bool = True) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("newsloom")
    cmd = [str(exe), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "NEWSLOOM_WEB_CACHE_ENTRIES": "2048" if cache else "0"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start: " + (proc.stderr.read() if proc.stderr else ""))


def wait_for_index(base: str, limit: float = 900) -> float:
    import httpx

    t = time.monotonic()
    while time.monotonic() - t < limit:
        st = httpx.get(base + "/api/status", timeout=30).json()["search_index"]
        if st["indexed"] >= st["in_store"] and not st["building"]:
            return time.monotonic() - t
        time.sleep(1)
    return float("nan")


def sample_targets(db: Path, n: int = 500, seed: int = 11) -> dict[str, list[str]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    stories = [r[0] for r in con.execute(
        "SELECT cluster_id FROM clusters WHERE level = 'story' USING SAMPLE 2000 ROWS").fetchall()]
    docs = [r[0] for r in con.execute("SELECT doc_id FROM documents USING SAMPLE 2000 ROWS").fetchall()]
    titles = [r[0] or "" for r in con.execute("SELECT title FROM documents USING SAMPLE 3000 ROWS").fetchall()]
    langs = [r[0] for r in con.execute("SELECT DISTINCT lang FROM documents LIMIT 50").fetchall()]
    con.close()
    rng = random.Random(seed)
    words = sorted({w for t in titles for w in re.findall(r"\w{5,}", t) if not w.isdigit()})
    rng.shuffle(words)
    return {"stories": stories[:n], "docs": docs[:n], "words": words[:n], "langs": langs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--rate", type=float, default=50.0, help="requests per second (open loop)")
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each endpoint's run")
    ap.add_argument("--store", type=Path, default=None, help="where to build (or reuse) the synthetic store")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--indexes", action="store_true",
                    help="apply the store's migrations (its lookup indexes) to an older benchmark store first")
    ap.add_argument("--no-uncached-baseline", dest="uncached_baseline", action="store_false",
                    help="skip the second pass with the server's response cache off (the same-run baseline)")
    args = ap.parse_args()
    if not NTREX.is_dir():
        print(f"skipped: NTREX not found at {NTREX}")
        return 0
    db = args.store or ROOT / "out" / "bench" / f"web-{args.docs}.duckdb"
    if args.rebuild or not db.exists():
        t = time.perf_counter()
        print(f"building a store of {args.docs} synthetic documents at {db} ...", flush=True)
        build_store(db, args.docs)
        print(f"built in {time.perf_counter() - t:.0f} s", flush=True)
    if args.indexes:
        add_indexes(db)
    targets = sample_targets(db)
    load0 = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    rng = random.Random(5)
    endpoints = {
        "story list (/stories, random page/sort/language)": lambda: rng.choice([
            "/stories", "/stories?sort=size", f"/stories?offset={50 * rng.randrange(20)}",
            f"/stories?lang={rng.choice(targets['langs'])}"]),
        "story page (/stories/{id})": lambda: f"/stories/{rng.choice(targets['stories'])}",
        "search (/search?q=word)": lambda: f"/search?q={rng.choice(targets['words'])}",
        "document page (/documents/{id})": lambda: f"/documents/{rng.choice(targets['docs'])}",
        "JSON story list (/api/stories)": lambda: f"/api/stories?offset={50 * rng.randrange(20)}",
    }
    service_times: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    results = []
    index_s = float("nan")
    # the server as shipped (response cache on), then the same load with the cache off as a baseline
    for cache in ((True, False) if args.uncached_baseline else (True,)):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = run_server(db, port, cache=cache)
        try:
            waited = wait_for_index(base)
            if cache:
                index_s = waited
            print(f"server (response cache {'on' if cache else 'off'}): search side index ready {waited:.0f} s"
                  f" after start ({db}.search.sqlite)", flush=True)
            import httpx

            for name, urls in endpoints.items():
                with httpx.Client(base_url=base, timeout=60) as client:
                    for _ in range(10):  # warm up: first requests load map data and Babel locales
                        client.get(urls())
                    service = _service(client, urls, 40)  # one request at a time
                service_times[name, cache] = service
                res = asyncio.run(_load(base, urls, args.rate, args.seconds))
                results.append(((name, cache), res))
                print(f"  {name}: p50 {_pct(res['lat'], .5):.0f} ms, p99 {_pct(res['lat'], .99):.0f} ms", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print()
    print(f"## newsloom serve on {args.docs:,} documents ({'with' if args.indexes else 'without'} lookup "
          f"indexes): open-loop load at {args.rate:g} req/s for {args.seconds:g} s per endpoint (127.0.0.1)")
    print()
    try:
        load = os.getloadavg()
        print(f"Machine: {os.cpu_count()} CPUs, load average {load0[0]:.1f} / {load0[1]:.1f} / {load0[2]:.1f} "
              f"(1/5/15 min) at the start of the run, {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end.")
        print()
    except OSError:
        pass
    print("Service = one request at a time (40 after 10 warm-up requests): computed responses (cache misses;"
          " capacity = 1/their mean) and responses replayed from the server's response cache (hits).")
    print()
    print("| endpoint | response cache | service p50 ms, computed (n) | capacity req/s uncached | service p50 ms, cache hit (n) |"
          " sent | errors | cache hits under load | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | p99 < 200 ms |")
    print("|---|:---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for (name, cache), r in sorted(results, key=lambda x: (list(endpoints).index(x[0][0]), not x[0][1])):
        lat = r["lat"]
        p99 = _pct(lat, .99)
        miss, hit = service_times[name, cache]
        cap = 1000 / statistics.mean(miss) if miss else float("nan")
        hit_s = f"{_pct(hit, .5):.1f} ({len(hit)})" if hit else "- (0)"
        print(f"| {name} | {'on' if cache else 'off'} | {_pct(miss, .5):.0f} ({len(miss)}) | {cap:.0f} | {hit_s} | {r['sent']} | {len(r['errors'])} |"
              f" {100 * r['hits'] / max(1, r['sent']):.0f} % | {r['rps']:.1f} | "
              f"{_pct(lat, .5):.0f} | {_pct(lat, .9):.0f} | {p99:.0f} | {max(lat):.0f} | {'yes' if p99 < 200 else 'no'} |")
    print()
    print("### Baselines measured in the same run (same store, single-threaded, ms)")
    print()
    print("| what | p50 | p99 |")
    print("|---|---:|---:|")
    for name, vals in connection_baselines(db):
        print(f"| connection: {name} | {_pct(vals, .5):.1f} | {_pct(vals, .99):.1f} |")
    for name, vals in search_baselines(db, Path(str(db) + ".search.sqlite"), targets["words"]):
        if isinstance(vals, str):
            print(f"| search: {name} | {vals} | |")
        else:
            print(f"| search: {name} | {_pct(vals, .5):.1f} | {_pct(vals, .99):.1f} |")
    print(f"| search: FTS5 side index initial build (whole store) | {index_s * 1000:.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
