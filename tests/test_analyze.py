"""analyze() end to end: the seed article's cleaning measures, and the bad-input corpus with nothing lost."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dateline.analyze import analyze

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "gold" / "seed"
CLEANING_MEASURES = ("title", "teasers removed from body", "teasers kept in removed[]",
                     "captions and credits out of body", "body kept whole", "published date")


def load_tool(name: str):
    path = SHARED / "tools" / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_record() -> dict:
    if not (SEED / "article.txt").exists():
        pytest.skip("../shared/gold/seed is absent")
    (result,) = list(analyze([str(SEED / "article.txt")]))
    assert result.ok, result.error
    assert result.record is not None
    return result.record


def test_seed_cleaning_measures_are_perfect(seed_record):
    scorer = load_tool("score_record")
    gold = json.loads((SEED / "gold.json").read_text())
    scores = scorer.score(seed_record, gold)
    assert {m: scores[m] for m in CLEANING_MEASURES} == dict.fromkeys(CLEANING_MEASURES, 1.0)


def test_seed_record_shape(seed_record):
    assert seed_record["published"] == "2021-08-11" and seed_record["published_precision"] == "inferred"
    assert seed_record["language"] == "en"
    assert seed_record["source"]["format"] == "text"
    kinds = [r["kind"] for r in seed_record["removed"]]
    assert kinds.count("teaser") == 4 and "credit" in kinds and "caption" in kinds
    assert seed_record["media"][0]["credit"] == "Rahmat Gul / Associated Press"
    body = seed_record["body"]
    for entity in seed_record["entities"]:
        for m in entity["mentions"]:
            assert body[m["start"]:m["end"]] == m["text"]


def test_same_text_same_id_and_duplicates_marked(tmp_path):
    text = "Floods cut road\n\nRescuers reached the valley on Tuesday, officials said.\n"
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text.replace("\n", "\r\n"))
    first, second = list(analyze([str(tmp_path)]))
    assert first.record["id"] == second.record["id"]
    assert first.record["duplicate_of"] is None
    assert second.record["duplicate_of"].endswith("a.txt")


def test_non_english_carried_through_with_a_note(tmp_path):
    (tmp_path / "de.txt").write_text("Hochwasser schneidet Bergregion ab\n\nRettungskräfte haben am Dienstag Dörfer "
                                     "erreicht, die von Sturzfluten abgeschnitten waren, sagte die Verwalterin.\n")
    (result,) = list(analyze([str(tmp_path / "de.txt")]))
    assert result.ok and result.record["language"] == "de"
    assert result.record["entities"] == [] and any("without English NLP" in n for n in result.record["notes"])


@pytest.mark.slow
def test_bad_inputs_none_vanish(tmp_path):
    maker = SHARED / "tools" / "make_bad_inputs.py"
    if not maker.exists():
        pytest.skip("../shared/tools/make_bad_inputs.py is absent")
    corpus = tmp_path / "bad"
    subprocess.run([sys.executable, str(maker), str(corpus), "--big-mb", "25"], check=True, capture_output=True)
    manifest = json.loads((corpus / "manifest.json").read_text())
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "dateline", "analyze", str(corpus), "--out", str(out)],
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 1, proc.stderr  # some inputs failed, the rest were written
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    records = [line for line in lines if "error" not in line]
    failures = [line for line in lines if "error" in line]
    for case in manifest:
        name = case["file"]
        got_record = any(name in r["source"]["uri"] for r in records)
        got_failure = any(name in f["source"] and f["error"] for f in failures)
        assert got_record or got_failure, f"{name} vanished"
        if case["expect"] == "record":
            assert got_record, f"{name}: expected a record"
        elif case["expect"] == "error":
            assert got_failure and not got_record, f"{name}: expected a failure"
    for failure in failures:  # each failure also printed as one line naming its input
        assert failure["source"] in proc.stderr
    # the external entity's target never leaks into any output
    assert "root:x:0:0" not in out.read_text()


def test_people_named_only_in_a_caption_are_actors(seed_record):
    ghani = [e for e in seed_record["entities"] if e["name"] == "Ashraf Ghani"]
    assert len(ghani) == 1 and ghani[0]["mentions"] == []  # not in the body
    (mention,) = ghani[0]["media_mentions"]
    caption = seed_record["media"][mention["media"]]["caption"]
    assert caption[mention["start"]:mention["end"]] == "Ashraf Ghani"
    imran = [e for e in seed_record["entities"] if e["name"] == "Imran Khan"]
    assert len(imran) == 1 and imran[0]["mentions"] and imran[0]["media_mentions"]  # one actor, body and caption
