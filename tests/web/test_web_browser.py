"""The pages in a real browser: Playwright driving Debian's chromium (never `playwright install`).

The suite starts uvicorn in a thread on a free 127.0.0.1 port over the fixture store, blocks every
request that leaves 127.0.0.1 (the pages must work offline) and saves a screenshot of each page
under test-output/web/ (gitignored).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from gates import unavailable

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
STORY = "story-valdoria"
OUT = Path(__file__).resolve().parents[2] / "test-output" / "web"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_store):
    uvicorn = pytest.importorskip("uvicorn")
    from newsloom.web.app import create_app

    path, docs = web_store
    app = create_app(path, sync_interval=0.2)
    app.state.search.sync(block=True)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", docs
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable("browser", f"{CHROMIUM} not found: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    base, _ = server
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(base + "/") or url == base:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"browser errors: {errors}"


def _shot(pg, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def test_story_page_timeline_map_claims(page, server):
    base, _ = server
    page.goto(f"{base}/stories/{STORY}")
    timeline = page.locator("#timeline ol.timeline li")
    assert timeline.count() == 2
    assert "Flood displaces residents" in timeline.first.inner_text()
    page.wait_for_selector("#map[data-outlines='1']", timeout=15000)
    assert page.get_attribute("#map", "data-markers") == "1"
    assert page.locator("#map path.place-marker").count() == 1
    assert page.locator("#map path.leaflet-interactive, #map path").count() > 100  # country outlines drawn
    assert page.locator("table.claims tbody tr").count() == 4
    _shot(page, "story")


def test_clicking_a_claim_highlights_its_words(page, server):
    base, _ = server
    page.goto(f"{base}/stories/{STORY}")
    link = page.locator("tr.status-contradicted td:nth-child(5) a.claim-source").first
    link.click()
    mark = page.locator("#source-panel mark.hl")
    mark.wait_for(timeout=10000)
    assert mark.inner_text() == "1.500 warga"
    assert "active" in (link.get_attribute("class") or "")
    _shot(page, "story-claim-source")
    # without htmx (a new tab, or a plain click on the link's address), the full article opens at the words
    page.goto(base + link.get_attribute("href"))
    hl = page.locator("#hl")
    assert hl.inner_text() == "1.500 warga"
    assert hl.is_visible()
    bg = hl.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    _shot(page, "document-highlight")


def test_clicking_an_event_row_opens_its_sentence_highlighted(page, server):
    base, docs = server
    page.goto(f"{base}/stories/{STORY}")
    rows = page.locator("#events table.events tbody tr.event-row")
    assert rows.count() == 4
    row = rows.filter(has_text="Relief Agency of Norland").filter(has_text="Daily Meridian")
    assert "AID" in row.inner_text() and "sent" in row.inner_text()
    _shot(page, "story-events")
    row.locator("a.event-sentence").click()
    page.wait_for_url("**/documents/**")
    hl = page.locator("article.doc-text span.hl")
    assert "".join(hl.all_inner_texts()) == "The Relief Agency of Norland sent 300 personnel to the area."
    anchor = page.locator("#hl")
    assert anchor.is_visible()
    assert anchor.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    _shot(page, "document-event-sentence")


def test_indicator_chart_marks_sit_at_their_values_and_take_the_keyboard(page, server):
    base, _ = server
    page.goto(f"{base}/stories/{STORY}")
    chart = page.locator("#indicators svg.chart")
    assert chart.count() == 1 and chart.get_attribute("role") == "group"  # a group: its marks are links
    marks = chart.locator("a.mark")
    assert marks.count() == 3
    boxes = {marks.nth(i).get_attribute("aria-label"): marks.nth(i).bounding_box() for i in range(3)}
    centre = {label: b["y"] + b["height"] / 2 for label, b in boxes.items()}
    high = next(y for label, y in centre.items() if ": 1500 " in label)
    lows = [y for label, y in centre.items() if ": 1200 " in label]
    assert len(lows) == 2 and all(high < y for y in lows)  # higher value, higher on the page
    band = chart.locator(".range").first.bounding_box()
    assert band["height"] > 0 and band["width"] > 0
    # screen readers reach each mark as a link named by its outlet, value and day
    assert page.get_by_role("link", name="Daily Meridian: 1200 on 2031-03-04", exact=True).count() == 1
    marks.first.focus()
    assert page.evaluate("document.activeElement.getAttribute('class')") == "mark"
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/**")
    assert page.locator("#hl").inner_text() in ("1,200 people", "1200 شخص", "1.500 warga")
    _shot(page, "document-indicator-mark")


def test_arabic_renders_right_to_left(page, server):
    base, docs = server
    page.goto(f"{base}/documents/{docs['ar'].doc_id}")
    para = page.locator("article.doc-text p").first
    assert para.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # the first words sit at the right edge of the paragraph
    first_word = para.locator("span").first
    pbox, wbox = para.bounding_box(), first_word.bounding_box()
    assert wbox["x"] + wbox["width"] > pbox["x"] + pbox["width"] / 2
    _shot(page, "document-arabic")


def test_every_page_renders_offline_with_labels_and_keyboard(page, server):
    base, docs = server
    pages = {"stories": "/stories", "documents": "/documents", "document": f"/documents/{docs['en'].doc_id}",
             "entities": "/entities", "entity": "/entities/kb:relief-agency-norland", "search": "/search?q=Valdoria",
             "runs": "/runs", "run": f"/runs/{docs['run_id']}", "api-docs": "/docs"}
    for name, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if name == "api-docs":
            page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
            _shot(page, name)
            continue
        unlabeled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !(e.id && document.querySelector(`label[for="${e.id}"]`))
                         && !e.getAttribute('aria-label'))
            .map(e => e.name)""")
        assert unlabeled == [], (name, unlabeled)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content", name
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "A", name
        _shot(page, name)


def test_text_contrast_is_sufficient(page, server):
    base, _ = server
    page.goto(f"{base}/stories/{STORY}")
    ratios = page.evaluate("""() => {
        const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const bgOf = e => { while (e) { const c = getComputedStyle(e).backgroundColor;
            if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; e = e.parentElement; }
            return 'rgb(255, 255, 255)'; };
        const ratio = e => { const a = lum(getComputedStyle(e).color), b = lum(bgOf(e));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
        const sel = ['h1', 'p.meta', 'table.claims td', 'a.claim-source', 'header.top a', '.tag', '.muted', 'th'];
        const out = {};
        for (const s of sel) { const e = document.querySelector(s); if (e) out[s] = ratio(e); }
        return out; }""")
    assert ratios
    for sel, r in ratios.items():
        assert r >= 4.5, (sel, r)


def test_filters_update_the_story_list_in_place(page, server):
    base, _ = server
    page.goto(f"{base}/stories")
    assert page.locator("#results table.stories tbody tr").count() == 1
    page.select_option("#f-lang", "fr") if page.locator("#f-lang option[value='fr']").count() else None
    page.fill("#f-q", "nonexistentword")
    page.press("#f-q", "Enter")
    page.wait_for_selector("#results .empty", timeout=10000)
    assert "q=nonexistentword" in page.url  # htmx pushed the filtered address
    _shot(page, "stories-filtered")
