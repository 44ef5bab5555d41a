"""Inputs that used to lose something (issue 17): a JSON line's own title, an article inside 20,000 nested <div>s,
the whole bad-input corpus; and ``dateline ingest``'s exit codes and messages (failed inputs, Ctrl-C)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from dateline.analyze import analyze_unmarked
from dateline.clean import clean_raw
from dateline.cli import app
from dateline.ingest import read_inputs
from dateline.ingest.rawdoc import RawDoc
from dateline.settings import Options
from dateline.store import open_db

REPO = Path(__file__).resolve().parents[2]
BAD_INPUTS_TOOL = REPO / ".." / "shared" / "tools" / "make_bad_inputs.py"
STORY = ("MUZAFFARABAD — Rescue teams on Tuesday reached villages cut off by flash floods in the Neelum valley, "
         "where at least 14 people are missing, the district administrator said.\n\n"
         "“We have lost the only road and two bridges,” said Farah Qureshi, the administrator.")
runner = CliRunner()


def test_a_json_line_keeps_its_title_and_the_byline_under_it(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"title": "Real headline here", "text": "By John Smith\n\n" + STORY}) + "\n")
    [raw] = list(read_inputs([str(path)], Options()))
    assert isinstance(raw, RawDoc)
    article = clean_raw(raw, Options())
    assert article.title == "Real headline here"
    assert article.byline == ["John Smith"]
    assert article.body.startswith("MUZAFFARABAD")
    # The text repeating its title is not a second paragraph; a text with no title still finds its own.
    path.write_text(json.dumps({"title": "Real headline here", "text": "Real headline here\n\n" + STORY}) + "\n")
    assert clean_raw(next(iter(read_inputs([str(path)], Options()))), Options()).body.startswith("MUZAFFARABAD")
    path.write_text(json.dumps({"text": "Floods cut the valley road\n\nBy John Smith\n\n" + STORY}) + "\n")
    untitled = clean_raw(next(iter(read_inputs([str(path)], Options()))), Options())
    assert (untitled.title, untitled.byline) == ("Floods cut the valley road", ["John Smith"])


def test_an_article_inside_twenty_thousand_divs_is_read() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY.split("\n\n"))
    html = "<html><body>" + "<div>" * 20_000 + paragraphs + "</div>" * 20_000 + "</body></html>"
    started = time.perf_counter()
    article = clean_raw(RawDoc("file:///deep.html", "html", html.encode(), {"kind": "html"}), Options())
    assert "Rescue teams on Tuesday" in article.body and "only road and two bridges" in article.body
    assert time.perf_counter() - started < 30


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    if not BAD_INPUTS_TOOL.exists():
        pytest.skip(f"the bad-input corpus tool is not here: {BAD_INPUTS_TOOL}")
    folder = tmp_path_factory.mktemp("bad")
    subprocess.run([sys.executable, str(BAD_INPUTS_TOOL), str(folder)], check=True, capture_output=True)
    return folder, json.loads((folder / "manifest.json").read_text())


def test_every_bad_input_is_a_record_or_a_failure_with_a_reason(bad_inputs: tuple[Path, list[dict[str, Any]]],
                                                                model_nlp: Any) -> None:
    folder, manifest = bad_inputs
    wrong = []
    for case in manifest:
        path = folder / case["file"]
        results = list(analyze_unmarked(read_inputs([str(path)], Options()), Options(), nlp=model_nlp))
        outcome = "record" if results and any(r.ok for r in results) else "error"
        if not results or any(not r.ok and not (r.error or "").strip() for r in results) or \
                any(r.retry for r in results) or case["expect"] not in (outcome, "either"):
            wrong.append((case["file"], case["expect"], [(r.ok, r.error) for r in results]))
    assert not wrong, wrong
    assert any(c["file"] == "deep-nesting.html" for c in manifest)


def test_deep_nesting_from_the_corpus_keeps_its_article(bad_inputs: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, _ = bad_inputs
    [raw] = list(read_inputs([str(folder / "deep-nesting.html")], Options()))
    assert "Rescue teams" in clean_raw(raw, Options()).body  # was "no usable article text"


def test_ingest_exits_1_when_inputs_failed_and_keeps_the_numbers_of_the_reasons(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(("A long line of words. " * 50 + "\n\n") * 1200)  # ~1.3 MB
    db = str(tmp_path / "kb.db")
    result = runner.invoke(app, ["ingest", str(big), str(tmp_path / "missing.txt"), "--db", db, "--max-mb", "1",
                                 "--quiet", "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "over the 1 MB limit" in result.output and "file is 1.3 MB" in result.output
    assert "no such file" in result.output


@pytest.mark.slow
def test_ctrl_c_says_what_was_committed_and_the_same_command_resumes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(24):
        (inputs / f"story-{n:02d}.txt").write_text(f"Valley road story {n}\n\n" + STORY.replace("14", str(n + 20)))
    db = str(tmp_path / "kb.db")
    command = [sys.executable, "-m", "dateline", "ingest", str(inputs), "--db", db, "--quiet", "--workers", "1",
               "--commit-every", "1", "--batch-size", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and process.poll() is None and stored == 0:
        time.sleep(0.5)
        if os.path.exists(db):
            try:
                with open_db(db, create=False).connect() as conn:
                    stored = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            except Exception:
                stored = 0  # the first ingest is still making its tables
    assert stored, "nothing was committed in time"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err[-2000:]
    assert "ingest interrupted" in err and "articles were committed before it" in err and "resume" in err
    assert "Traceback" not in err
    again = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert again.returncode == 0, again.stderr[-2000:]
    with open_db(db, create=False).connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT id) FROM articles")).one() == (24, 24)
