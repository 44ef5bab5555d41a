"""The claim trail, sourcing, network and timeline pages in real headless Chromium: Observable Plot and d3-force
draw from the vendored files only, with no network, no page error and no injected markup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from across_kb import across_server  # noqa: F401  (fixture)
from test_browser import Watched, browser, pytestmark  # noqa: F401  (fixture, marks)


@pytest.fixture
def watched(browser: Any, across_server: str) -> Iterator[Watched]:  # noqa: F811
    w = Watched(browser, across_server)
    yield w
    w.context.close()


def _claim_id(server: str, words: str) -> int:
    return int(httpx.get(server + "/api/claims", params={"q": words}).json()["items"][0]["id"])


def test_claim_trail_draws_every_appearance_and_the_denial(watched: Watched) -> None:
    page = watched.goto(f"/claims/{_claim_id(watched.server, 'came from across')}")
    page.wait_for_selector("#trail-chart[data-ready=true] svg")
    # Plot draws one circle per appearance and the denial as a cross (a path symbol).
    assert page.locator("#trail-chart svg circle").count() == 4
    assert page.locator("#trail-chart svg title").filter(has_text="denial").count() == 1
    assert page.locator("#attribution-path").inner_text() == "named → anonymous → named"
    watched.shot("claim-trail")
    href = page.locator("#trail a[href^='/articles/']").nth(2).get_attribute("href") or ""
    assert "#f-q" in href
    article = watched.goto(href)  # the article view, at the quote's span
    assert article.locator(f"[id='{href.split('#')[1]}']").count() == 1
    watched.assert_clean()


def test_hostile_claim_trail_stays_text(watched: Watched) -> None:
    page = watched.goto(f"/claims/{_claim_id(watched.server, 'coming')}")
    page.wait_for_selector("#trail-chart[data-ready=true] svg")
    assert "<script>" in page.locator("h1.claim-title").inner_text()
    watched.assert_clean()


def test_sourcing_draws_three_charts(watched: Watched) -> None:
    page = watched.goto("/sourcing?by=publisher")
    page.wait_for_selector("#kinds-chart[data-ready=true] svg")
    assert page.locator("[data-chart][data-ready=true] > .plot").count() == 3
    assert page.locator("#sources-chart svg rect").count() >= 8  # named and anonymous bars of four outlets
    watched.shot("sourcing")
    watched.assert_clean()


def test_network_lays_out_with_d3_force_and_switches_counts(watched: Watched) -> None:
    page = watched.goto("/network")
    page.wait_for_selector("#network[data-ready=true]")
    assert page.locator("g.node").count() > 1 and page.locator("g.edge").count() > 0
    page.select_option("#network-count", "reports")
    page.wait_for_selector("#network[data-count=reports][data-ready=true]")
    watched.assert_clean()


def test_timeline_plots_happenings_and_reports(watched: Watched) -> None:
    page = watched.goto("/timeline")
    page.wait_for_selector("#events-chart[data-count=clusters] svg")
    page.select_option("#events-chart-count", "reports")
    page.wait_for_selector("#events-chart[data-count=reports] svg")
    watched.shot("timeline-plot")
    watched.assert_clean()
