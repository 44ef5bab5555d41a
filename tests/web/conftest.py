"""A real knowledge base and a real server for the web tests.

The database is made once per session: three demo articles through the real pipeline (``ingest``), plus
one hostile article written directly (markup and script in every field). The server is ``dateline serve``
in its own process on a free loopback port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dateline.record import article_id
from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.ingest import ingest
from dateline.store.write import write_records

REPO = Path(__file__).resolve().parents[2]
DEMO_FILES = ["border-clinic-chaman.txt", "niger-aid-workers-kidnapped.txt", "ministry-denies-border-shelling.html"]
ATTACKS = ['<script>alert("s")</script>', "<img src=x onerror=alert('i')>", '"><svg onload=alert("v")>',
           "javascript:alert('j')"]
HOSTILE = " ".join(ATTACKS)


def hostile_record() -> dict[str, Any]:
    """An article whose title, body, names, quote, reason, place and removed parts all carry attacks."""
    body = (f"Officials in {HOSTILE} met. \"{HOSTILE} is coming,\" said Mallory {HOSTILE}. "
            f"Mallory {HOSTILE} accused Eve {HOSTILE} of theft near Hostileton.")
    name_a, name_b = f"Mallory {HOSTILE}", f"Eve {HOSTILE}"

    def span(words: str, after: int = 0) -> dict[str, Any]:
        start = body.index(words, after)
        return {"start": start, "end": start + len(words), "text": words}

    quote_text = f"{HOSTILE} is coming,"
    evidence = f"Mallory {HOSTILE} accused Eve {HOSTILE}"
    return {
        "schema_version": 1, "id": article_id(body), "source": {"uri": "file:///hostile.html", "format": "html"},
        "url": "javascript:alert('url')", "title": f"=HYPERLINK(1) {HOSTILE}", "byline": [HOSTILE],
        "publisher": HOSTILE, "published": "2024-11-20", "published_precision": "day",
        "dateline": {"place": HOSTILE, "agency": HOSTILE}, "language": "en", "body": body,
        "removed": [{"kind": "teaser", "text": HOSTILE, "date": None}, {"kind": "caption", "text": HOSTILE}],
        "media": [{"alt_text": HOSTILE, "caption": HOSTILE, "credit": HOSTILE}],
        "entities": [
            {"id": "e1", "name": name_a, "type": "PERSON", "role": HOSTILE, "country": "PK", "actor": "PAK",
             "mentions": [span(name_a)]},
            {"id": "e2", "name": name_b, "type": "PERSON", "role": None, "country": "AF", "actor": "AFG",
             "mentions": [span(name_b)]}],
        "places": [{"id": "p1", "name": f"Hostileton {HOSTILE}", "geonames_id": None, "lat": 34.5, "lon": 69.2,
                    "country": "AF", "admin1": HOSTILE, "feature": "city", "confidence": 0.5,
                    "mentions": [span("Hostileton")]}],
        "quotes": [{"id": "q1", "kind": "direct", "content": span(quote_text),
                    "cue": {**span("said"), "lemma": "say"},
                    "speaker": {"text": name_a, "entity": "e1", "name": name_a, "anonymous": True,
                                "anonymity_reason": HOSTILE, "description": HOSTILE}}],
        "events": [{"id": "v1", "type": "ACCUSE", "mode": None,
                    "source": {"text": name_a, "entity": "e1", "actor": "PAK"},
                    "target": {"text": name_b, "entity": "e2", "actor": "AFG"},
                    "place": "p1", "date": "2024-11-19", "date_text": HOSTILE, "negated": False,
                    "attributed_to": "q1", "evidence": span(evidence), "confidence": 0.5}],
        "notes": [], "provenance": {},
    }


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "web.db")
    engine = open_db(path)
    summary = ingest([str(REPO / "examples" / name) for name in DEMO_FILES], engine)
    assert summary.ingested == len(DEMO_FILES), summary.as_dict()
    with engine.begin() as conn:
        write_records(conn, [hostile_record()], stories=StoryIndex())
    engine.dispose()
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``dateline serve`` on a free loopback port; returns the process and its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "dateline", "serve", "--db", db, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(base + "/api/counts", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("server did not start in 60 s")


def stop_server(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server(web_db: str) -> Iterator[str]:
    process, base = start_server(web_db, env={"DATELINE_UPLOAD_TOKEN": ""})
    yield base
    stop_server(process)


@pytest.fixture(scope="session")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http
