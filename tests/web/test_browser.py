"""Every page in real headless Chromium (Debian's) through Playwright, against the real server.

Requests leaving the loopback server are blocked and recorded: the UI must work with no network.
Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import REPO, hostile_record

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
INJECTED = ('img[src="x"], svg[onload], [onerror], [onload], script:not([src]), a[href^="javascript:"], '
            'iframe, object, embed')

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(shutil.which("node") is None and not (REPO / "dateline/web/node_modules").exists(),
                       reason="front-end files not installed (scripts/build_web.sh)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


class Watched:
    """A page with its dialogs, off-site requests and page errors recorded."""

    def __init__(self, browser: Any, server: str) -> None:
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.server = server

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.server):
            route.continue_()
        else:
            self.offsite.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> Any:
        self.page.goto(self.server + path, wait_until="networkidle")
        return self.page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.offsite == [], self.offsite
        assert self.errors == [], self.errors
        assert self.page.locator(INJECTED).count() == 0


@pytest.fixture
def watched(browser: Any, server: str) -> Iterator[Watched]:
    w = Watched(browser, server)
    yield w
    w.context.close()


def _total(page: Any) -> int:
    return int(page.locator("#total").inner_text().split()[0])


def test_search_shows_results_facets_narrow_and_attention_chart(watched: Watched) -> None:
    page = watched.goto("/")
    everything = _total(page)
    page.fill("input[name=q]", "Chaman")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "q=Chaman" in page.url
    titles = page.locator(".hit .title").all_inner_texts()
    assert any("Chaman" in t for t in titles) and _total(page) < everything, (titles, page.url, _total(page))
    page.wait_for_selector("#attention svg .bar")
    watched.shot("search")
    before = _total(page)
    with page.expect_navigation():
        page.locator("[data-facet=types] a").first.click()
    assert "type=" in page.url and "q=Chaman" in page.url
    assert 0 < _total(page) <= before
    page.goto(watched.server + "/")
    with page.expect_navigation():
        page.locator("[data-facet=sources] a", has_text="anonymous").click()
    assert "source=anonymous" in page.url and 0 < _total(page) <= everything
    actor = page.locator("[data-facet=actors] li").last
    articles_with_actor = int(actor.locator(".n").inner_text())
    with page.expect_navigation():
        actor.locator("a").click()
    assert "actor=" in page.url and _total(page) == articles_with_actor < everything
    watched.assert_clean()


def test_map_draws_outlines_and_markers_and_lists_a_marker(watched: Watched) -> None:
    page = watched.goto("/map")
    page.wait_for_selector("#map[data-ready=true]")
    assert page.locator("path.country").count() > 100
    assert page.locator("circle.marker.place").count() > 0
    assert page.locator("circle.marker.event").count() > 0
    page.locator("circle.marker.place").first.dispatch_event("click")
    page.wait_for_selector("#panel .panel-list li a")
    assert page.locator("#panel .panel-list a[href^='/articles/']").count() > 0
    watched.shot("map")
    watched.assert_clean()


def test_network_draws_edges_and_shows_evidence(watched: Watched) -> None:
    page = watched.goto("/network")
    page.wait_for_selector("#network[data-ready=true]")
    assert page.locator("g.edge").count() > 0 and page.locator("g.node").count() > 1
    page.locator("g.edge").first.dispatch_event("click")
    page.wait_for_selector("#panel .evidence")
    assert page.locator("#panel .evidence").first.inner_text().strip("“”() ")
    watched.shot("network")
    watched.assert_clean()


def test_timeline_lists_events_with_a_chart(watched: Watched) -> None:
    page = watched.goto("/timeline")
    page.wait_for_selector("#events-chart svg .bar")
    assert page.locator("#timeline .event").count() > 0
    watched.shot("timeline")
    watched.assert_clean()


def test_article_highlights_a_quote_and_scrolls_to_it(watched: Watched, client: httpx.Client) -> None:
    quote = client.get("/api/quotes", params={"q": "Chaman", "limit": 50}).json()["items"][-1]
    page = watched.goto(f"/articles/{quote['article_id']}")
    assert page.locator(".hl.quote").count() > 0 and page.locator(".hl.entity").count() > 0
    assert page.locator("#removed li").count() > 0  # the caption and credit, shown apart
    page.locator(f"#facts a[data-fact='{quote['quote_id']}']").click()
    active = page.locator(".hl.active")
    active.first.wait_for()
    page.wait_for_function("() => { const r = document.querySelector('.hl.active').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }")
    assert quote["content"][:20] in "".join(active.all_inner_texts())
    page.screenshot(path=str(SHOTS / "article.png"))
    watched.assert_clean()


def test_docs_render_offline(watched: Watched) -> None:
    page = watched.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() >= 10
    watched.shot("docs")
    watched.assert_clean()


def test_hostile_article_runs_no_script_anywhere(watched: Watched) -> None:
    record = hostile_record()
    page = watched.goto(f"/articles/{record['id']}")
    assert "<script>" in page.title()  # shown as text
    assert '<img src=x onerror=' in page.locator("#body").inner_text()
    page.locator("#facts a[data-fact='q1']").click()
    page.locator(".hl.active").first.wait_for()
    watched.shot("hostile-article")
    watched.goto("/?q=Hostileton")
    assert "<script>" in page.locator(".hit .title").first.inner_text()
    watched.goto("/map?q=Hostileton")
    page.wait_for_selector("#map[data-ready=true]")
    page.locator("circle.marker.event").first.dispatch_event("click")
    page.wait_for_selector("#panel .evidence")
    watched.shot("hostile-map")
    watched.goto("/network?q=Hostileton")
    page.wait_for_selector("#network[data-ready=true]")
    page.locator("g.edge").first.dispatch_event("click")
    page.wait_for_selector("#panel .evidence")
    assert "<svg onload" in page.locator("#panel").inner_text()
    watched.shot("hostile-network")
    watched.goto("/timeline?q=Hostileton")
    page.wait_for_timeout(300)
    watched.assert_clean()
