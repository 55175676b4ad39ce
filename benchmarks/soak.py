"""Soak: `newsloom serve` under open-loop load for minutes while `newsloom analyze` keeps writing.

    .venv/bin/python benchmarks/soak.py [--seconds 600] [--rate 20] [--seed-docs 300] [--batch 60]

Issue 13, item "Load": the web benchmark held for 10 minutes with `analyze` writing at the same
time: no error, no memory growth. A benchmark, not a test.

1. Builds a starting store with the CLI (`newsloom analyze`): the demo corpus
   (examples/demo/articles) plus --seed-docs JSONL articles recombined from NTREX-128 sentence
   windows (../shared/data/ntrex, read with benchmarks/web.py's `load_ntrex`; the generated
   files live in a temporary folder, never in the repo).
2. Starts `newsloom serve --db STORE --host 127.0.0.1 --port FREE_PORT` in its own process group.
3. For --seconds, at the same time:
   - a writer runs `newsloom analyze BATCH.jsonl --db STORE -q` one after another, each on
     --batch new articles (distinct sentence windows, so every run adds documents), counting
     runs, exit codes and documents added; it starts no run after the deadline and lets the one
     in flight finish;
   - an open-loop load generator (asyncio + httpx, 127.0.0.1 only): request i is due at
     t0 + i / --rate, latency counts from that due time (no coordinated omission); --rate x
     --seconds requests in all, each bounded by --timeout. Routes: story list page, story page,
     document page, search page, /api/stories, /api/documents (its ids feed the document
     routes, so documents added during the run are read too), /api/documents/{id}, runs page;
   - a sampler reads the server's VmRSS (and its children's) from /proc every 10 s.
4. Prints one table; exits 1 on any 5xx, transport error or timeout, or failed analyze run.
Everything started is stopped at the end (process groups: SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web import NTREX, _free_port, _pct, load_ntrex  # benchmarks/web.py

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo" / "articles"
EXE = Path(sys.executable).with_name("newsloom")
_ADDED = re.compile(r"(\d+) documents added")
_REJECTED = re.compile(r"(\d+) rejected in")


# -- inputs --------------------------------------------------------------------------------
class ArticleMaker:
    """Distinct JSONL articles from NTREX: each is one (article, language, sentence window) used once."""

    def __init__(self, seed: int = 13) -> None:
        ntrex = load_ntrex()
        rng = random.Random(seed)
        self.slots = []  # (ntrex id, lang, start, length), shuffled, each used at most once
        for nid in sorted(ntrex):
            for lang in sorted(ntrex[nid]):
                n = len(ntrex[nid][lang])
                for start in range(0, max(1, n - 3), 3):
                    self.slots.append((nid, lang, start, rng.randint(4, 9)))
        rng.shuffle(self.slots)
        self.ntrex, self.rng, self.next = ntrex, rng, 0
        self.day0 = date(2024, 1, 1)

    def batch(self, n: int, tag: str) -> list[dict]:
        out = []
        for _ in range(n):
            if self.next >= len(self.slots):
                raise RuntimeError("ran out of distinct NTREX windows")
            nid, lang, start, length = self.slots[self.next]
            k = self.next
            self.next += 1
            window = self.ntrex[nid][lang][start:start + length]
            out.append({
                "title": window[0][:150], "text": "\n\n".join(window[1:] or window),
                "url": f"https://soak.example/{tag}/{k}", "lang": lang,
                "publisher": f"Soak Outlet {k % 17:02d}",
                "date": (self.day0 + timedelta(days=k % 120)).isoformat(),
            })
        return out

    def write(self, path: Path, n: int, tag: str) -> Path:
        with path.open("w", encoding="utf-8") as f:
            for art in self.batch(n, tag):
                f.write(json.dumps(art, ensure_ascii=False) + "\n")
        return path


# -- processes -----------------------------------------------------------------------------
def stop_group(proc: subprocess.Popen | None, grace: float = 15.0) -> None:
    """SIGTERM the process group of ``proc`` (started with start_new_session), then SIGKILL."""
    if proc is None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = proc.pid
    if proc.poll() is None:
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:  # whatever is left in the group (workers), and the leader if it ignored SIGTERM
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def analyze(paths: list[Path], db: Path, log: Path, workers: int | None, holder: dict,
            timeout: float) -> tuple[int, int | None, float, int | None]:
    """One `newsloom analyze` run: (exit code, documents added or None, seconds, inputs rejected or None)."""
    cmd = [str(EXE), "analyze", *map(str, paths), "--db", str(db), "-q"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    t = time.monotonic()
    with log.open("a", encoding="utf-8") as f:
        f.write(f"\n$ {shlex.join(cmd)}\n")
        f.flush()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=f, text=True, start_new_session=True)
        holder["proc"] = proc
        try:
            out, _ = proc.communicate(timeout=timeout)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            stop_group(proc)
            out, rc = "", -999
        finally:
            holder["proc"] = None
        f.write(out)
    m, r = _ADDED.search(out or ""), _REJECTED.search(out or "")
    return rc, int(m.group(1)) if m else None, time.monotonic() - t, int(r.group(1)) if r else None


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    import httpx

    cmd = [str(EXE), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    f = log.open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    f.close()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    stop_group(proc)
    raise RuntimeError("server did not start: " + log.read_text()[-2000:])


def rss_kb(pid: int) -> int:
    """VmRSS of ``pid`` and all its descendants, in kB (0 if gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


# -- concurrent parts ----------------------------------------------------------------------
class Writer(threading.Thread):
    def __init__(self, db: Path, work: Path, maker: ArticleMaker, batch: int, deadline: float,
                 workers: int | None, run_timeout: float) -> None:
        super().__init__(name="soak-writer", daemon=True)
        self.db, self.work, self.maker, self.batch = db, work, maker, batch
        self.deadline, self.workers, self.run_timeout = deadline, workers, run_timeout
        self.stop = threading.Event()
        self.holder: dict = {"proc": None}
        self.runs: list[tuple[int, int | None, float, int | None]] = []  # (rc, added, seconds, rejected)
        self.error: str | None = None

    def run(self) -> None:
        try:
            i = 0
            while not self.stop.is_set() and time.monotonic() < self.deadline:
                i += 1
                path = self.maker.write(self.work / f"batch-{i:04d}.jsonl", self.batch, f"b{i}")
                rc, added, secs, rejected = analyze([path], self.db, self.work / "analyze.log", self.workers,
                                                    self.holder, self.run_timeout)
                self.runs.append((rc, added, secs, rejected))
                print(f"  [{time.strftime('%H:%M:%S')}] analyze run {i}: exit {rc}, {added} added, {secs:.0f} s",
                      flush=True)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            self.error = f"{type(exc).__name__}: {exc}"


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 10.0) -> None:
        super().__init__(name="soak-rss", daemon=True)
        self.pid, self.every = pid, every
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)

    def run(self) -> None:
        while True:
            self.samples.append((time.monotonic() - self.t0, rss_kb(self.pid) / 1024))
            if self.stop.wait(self.every):
                self.samples.append((time.monotonic() - self.t0, rss_kb(self.pid) / 1024))
                return


ROUTES = ["story list (/stories)", "story page (/stories/{id})", "document page (/documents/{id})",
          "search (/search?q=)", "JSON stories (/api/stories)", "JSON documents (/api/documents)",
          "JSON document (/api/documents/{id})", "runs page (/runs)"]


class Targets:
    """Story ids, document ids and search words, refreshed from the server's own JSON answers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.stories: list[str] = []
        self.docs: list[str] = []
        self.words: list[str] = []

    def take(self, body: dict) -> None:
        for item in body.get("items") or body.get("stories") or body.get("documents") or []:
            if not isinstance(item, dict):
                continue
            if item.get("cluster_id"):
                self._add(self.stories, item["cluster_id"])
            if item.get("doc_id"):
                self._add(self.docs, item["doc_id"])
            for w in re.findall(r"\w{5,}", item.get("title") or "")[:3]:
                if not w.isdigit():
                    self._add(self.words, w)

    def _add(self, pool: list[str], value: str, cap: int = 2000) -> None:
        if value in pool:
            return
        if len(pool) >= cap:
            pool[self.rng.randrange(cap)] = value
        else:
            pool.append(value)

    def url(self, route: str) -> str:
        r = self.rng
        if route.startswith("story list"):
            return r.choice(["/stories", "/stories?sort=size", f"/stories?offset={50 * r.randrange(4)}"])
        if route.startswith("story page"):
            return f"/stories/{r.choice(self.stories)}" if self.stories else "/stories"
        if route.startswith("document page"):
            return f"/documents/{r.choice(self.docs)}" if self.docs else "/documents"
        if route.startswith("search"):
            return f"/search?q={r.choice(self.words)}" if self.words else "/search?q=government"
        if route.startswith("JSON stories"):
            return r.choice(["/api/stories", "/api/stories?sort=size", f"/api/stories?offset={50 * r.randrange(4)}"])
        if route.startswith("JSON documents"):
            return r.choice(["/api/documents", f"/api/documents?offset={50 * r.randrange(10)}"])
        if route.startswith("JSON document"):
            return f"/api/documents/{r.choice(self.docs)}" if self.docs else "/api/documents"
        return "/runs"


async def load(base: str, targets: Targets, rate: float, seconds: float, timeout: float) -> dict:
    import httpx

    res = {route: {"lat": [], "status": {}, "errors": {}, "sent": 0} for route in ROUTES}
    five: list[str] = []
    four: list[str] = []
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        for url in ("/api/stories?limit=100", "/api/stories?sort=size&limit=100", "/api/documents?limit=100"):
            targets.take((await client.get(url)).json())
        loop = asyncio.get_running_loop()
        t0 = loop.time() + 0.1
        total = int(rate * seconds)

        async def one(i: int, route: str, url: str) -> None:
            due = t0 + i / rate
            r = res[route]
            r["sent"] += 1
            try:
                resp = await client.get(url)
                cls = f"{resp.status_code // 100}xx"
                r["status"][cls] = r["status"].get(cls, 0) + 1
                if resp.status_code >= 500:
                    five.append(f"{resp.status_code} {url} {resp.text[:200]!r}")
                elif resp.status_code >= 400:
                    four.append(f"{resp.status_code} {url}")
                elif resp.status_code == 200 and route.startswith(("JSON stories", "JSON documents")):
                    targets.take(resp.json())
            except httpx.TimeoutException:
                r["errors"]["timeout"] = r["errors"].get("timeout", 0) + 1
            except httpx.HTTPError as exc:
                name = type(exc).__name__
                r["errors"][name] = r["errors"].get(name, 0) + 1
            r["lat"].append(1000 * (loop.time() - due))

        tasks = []
        for i in range(total):
            delay = t0 + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            route = ROUTES[i % len(ROUTES)]
            tasks.append(asyncio.create_task(one(i, route, targets.url(route))))
        await asyncio.gather(*tasks)
        res["_wall"] = loop.time() - t0
    res["_5xx"] = five
    res["_4xx"] = four
    return res


# -- report --------------------------------------------------------------------------------
def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope in MB/min of (seconds, MB) points."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    return 60 * sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=600.0, help="how long load and writer run")
    ap.add_argument("--rate", type=float, default=20.0, help="requests per second (open loop)")
    ap.add_argument("--seed-docs", type=int, default=300, help="NTREX articles in the starting store (with the demo)")
    ap.add_argument("--batch", type=int, default=60, help="new articles per analyze run")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as a timeout")
    ap.add_argument("--analyze-workers", type=int, default=None, help="--workers for analyze (default: its config)")
    ap.add_argument("--run-timeout", type=float, default=900.0, help="seconds before an analyze run is killed")
    ap.add_argument("--workdir", type=Path, default=None, help="where the store and batches go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not NTREX.is_dir():
        print(f"skipped: NTREX not found at {NTREX}")
        return 0
    command = shlex.join([".venv/bin/python", "benchmarks/soak.py", *sys.argv[1:]])
    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsloom-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "soak.duckdb"
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(143)))
    server = writer = sampler = None
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load0 = os.getloadavg()
    try:
        maker = ArticleMaker()
        seed = maker.write(work / "seed.jsonl", args.seed_docs, "seed")
        print(f"building the starting store at {db}: demo corpus + {args.seed_docs} NTREX articles ...", flush=True)
        holder: dict = {"proc": None}
        rc, seed_added, secs, seed_rej = analyze([DEMO, seed], db, work / "analyze.log", args.analyze_workers, holder,
                                       args.run_timeout)
        print(f"  exit {rc}, {seed_added} added, {secs:.0f} s", flush=True)
        if rc != 0:
            print((work / "analyze.log").read_text()[-3000:])
            return 1
        port = _free_port()
        server = start_server(db, port, work / "serve.log")
        print(f"server pid {server.pid} on http://127.0.0.1:{port}/", flush=True)
        sampler = Sampler(server.pid)
        sampler.start()
        deadline = time.monotonic() + args.seconds
        writer = Writer(db, work, maker, args.batch, deadline, args.analyze_workers, args.run_timeout)
        writer.start()
        targets = Targets(random.Random(5))
        res = asyncio.run(load(f"http://127.0.0.1:{port}", targets, args.rate, args.seconds, args.timeout))
        load_end = time.monotonic()
        writer.stop.set()
        writer.join(timeout=args.run_timeout + 30)
        tail = time.monotonic() - load_end
        sampler.stop.set()
        sampler.join(timeout=30)
        server_alive = server.poll() is None
    finally:
        if writer is not None:
            writer.stop.set()
            stop_group(writer.holder.get("proc"))
        if sampler is not None:
            sampler.stop.set()
        stop_group(server)
    # documents in the store at the end, read after everything stopped
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    n_docs, n_stories = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM clusters WHERE level = 'story')").fetchone()
    con.close()
    load1 = os.getloadavg()

    routes = [r for r in ROUTES]
    sent = sum(res[r]["sent"] for r in routes)
    classes: dict[str, int] = {}
    errors: dict[str, int] = {}
    for r in routes:
        for k, v in res[r]["status"].items():
            classes[k] = classes.get(k, 0) + v
        for k, v in res[r]["errors"].items():
            errors[k] = errors.get(k, 0) + v
    n5 = classes.get("5xx", 0)
    n_err = sum(errors.values())
    runs = writer.runs
    failed = [x for x in runs if x[0] != 0]
    added = sum(x[1] or 0 for x in runs)
    s = sampler.samples
    T = s[-1][0] if s else 0.0
    first = [mb for t, mb in s if t <= 60]
    last = [mb for t, mb in s if t >= T - 60]
    after1 = [(t, mb) for t, mb in s if t >= 60]

    print()
    print(f"## Soak: `newsloom serve` for {args.seconds:g} s at {args.rate:g} req/s while `newsloom analyze` writes")
    print()
    print(f"Command: `{command}`; started {started}; {os.cpu_count()} CPUs, load average "
          f"{load0[0]:.1f}/{load0[1]:.1f}/{load0[2]:.1f} at the start, {load1[0]:.1f}/{load1[1]:.1f}/{load1[2]:.1f} "
          f"at the end (1/5/15 min).")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| starting store | demo + {args.seed_docs} NTREX articles: {seed_added} documents added, {seed_rej} inputs rejected, in {secs:.0f} s | |")
    print(f"| requests sent (open loop, {args.rate:g}/s) | {sent:,} in {res['_wall']:.0f} s "
          f"({sent / res['_wall']:.1f}/s completed) | |")
    print(f"| responses by status class | {', '.join(f'{k} {v:,}' for k, v in sorted(classes.items())) or 'none'} | |")
    print(f"| transport errors / timeouts (> {args.timeout:g} s) | "
          f"{n_err - errors.get('timeout', 0)} / {errors.get('timeout', 0)}"
          f"{' (' + ', '.join(f'{k} {v}' for k, v in sorted(errors.items())) + ')' if errors else ''} | 0 |")
    print(f"| 5xx responses | {n5} | 0 |")
    print(f"| analyze runs done / failed (batches of {args.batch}) | {len(runs)} / {len(failed)}"
          f"{' (exit codes ' + ', '.join(str(x[0]) for x in failed) + ')' if failed else ''}"
          f"{'; writer error: ' + writer.error if writer.error else ''} | 0 failed |")
    if runs:
        durs = sorted(x[2] for x in runs)
        print(f"| analyze run seconds (min / median / max) | {durs[0]:.0f} / {_pct(durs, .5):.0f} / {durs[-1]:.0f}"
              f" (the last run finished {tail:.0f} s after the load ended) | |")
    rej = sum(x[3] or 0 for x in runs)
    print(f"| documents added during the soak | {added:,} of {len(runs) * args.batch:,} articles sent, {rej} rejected (store at the end: {n_docs:,} documents, "
          f"{n_stories:,} stories) | > 0 |")
    print(f"| server alive at the end | {'yes' if server_alive else 'NO'} | yes |")
    if first and last:
        print(f"| server RSS, first minute vs last minute (mean MB) | {sum(first) / len(first):.0f} vs "
              f"{sum(last) / len(last):.0f} (min {min(mb for _, mb in s):.0f}, max {max(mb for _, mb in s):.0f}; "
              f"{len(s)} samples every 10 s) | no growth beyond noise |")
        print(f"| server RSS slope (MB/min), whole run / after the first minute | {slope(s):+.2f} / "
              f"{slope(after1):+.2f} | ~0 |")
    print()
    print("| route | sent | 2xx | 3xx | 4xx | 5xx | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in routes:
        x = res[r]
        lat = x["lat"]
        st = x["status"]
        print(f"| {r} | {x['sent']} | {st.get('2xx', 0)} | {st.get('3xx', 0)} | {st.get('4xx', 0)} | {st.get('5xx', 0)} "
              f"| {sum(x['errors'].values())} | {_pct(lat, .5):.0f} | {_pct(lat, .95):.0f} | {_pct(lat, .99):.0f} | "
              f"{max(lat) if lat else float('nan'):.0f} |")
    allat = [v for r in routes for v in res[r]["lat"]]
    print(f"| all | {sent} | {classes.get('2xx', 0)} | {classes.get('3xx', 0)} | {classes.get('4xx', 0)} | {n5} | {n_err} "
          f"| {_pct(allat, .5):.0f} | {_pct(allat, .95):.0f} | {_pct(allat, .99):.0f} | {max(allat) if allat else float('nan'):.0f} |")
    print()
    print("RSS samples (s: MB): " + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in s))
    if res["_4xx"]:
        print(f"4xx ({len(res['_4xx'])}, first 10): " + "; ".join(res["_4xx"][:10]))
    for line in res["_5xx"][:10]:
        print(f"5xx: {line}")
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work folder kept: {work}")
    ok = n5 == 0 and not failed and not writer.error and n_err == 0 and server_alive
    print(f"result: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
