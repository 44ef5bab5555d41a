"""`dateline eval extraction`: both systems on the same pages, prediction files written, scores are numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.eval import extraction

FIXTURES = Path(__file__).parents[1] / "fixtures" / "html"
SHARED = Path(__file__).parents[2] / ".." / "shared"


def write_fixture_gold(path: Path) -> None:
    with path.open("w", encoding="utf-8") as gold:
        for line in (FIXTURES / "expected.jsonl").read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            page["html"] = (FIXTURES / f"{page['id']}.html").read_text(encoding="utf-8")
            gold.write(json.dumps(page) + "\n")


@pytest.mark.skipif(not extraction.SCORER.exists(), reason="../shared/tools/score_extraction.py is absent")
def test_eval_on_fixture_pages(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    write_fixture_gold(gold)
    result = extraction.run(gold, tmp_path / "out")
    for name in extraction.SYSTEMS:
        predictions = [json.loads(line) for line in (tmp_path / "out" / f"{name}.jsonl").read_text().splitlines()]
        assert [p["id"] for p in predictions] == ["kabul", "islamabad", "blog", "council", "market"]
        assert set(predictions[0]) == {"id", "body", "title", "author", "date"}
    rows = {row["system"]: row for row in result["rows"]}
    assert set(rows) == {"dateline", "trafilatura"}
    for row in rows.values():
        for measure in ("aeb_f1", "wcxb_f1", "title", "author", "date"):
            assert isinstance(row[measure], float) and 0.0 <= row[measure] <= 1.0
        assert row["pages"] == 5
    ours = rows["dateline"]
    assert ours["empty"] == 0
    assert ours["aeb_f1"] >= 0.9 and ours["title"] == 1.0 and ours["date"] == 1.0 and ours["author"] >= 0.8


def test_eval_skips_cleanly_when_gold_is_absent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extraction.run(tmp_path / "missing.jsonl.gz", tmp_path / "out") == {}
    assert "skipped" in capsys.readouterr().out


@pytest.mark.slow
def test_dateline_beats_bare_trafilatura_on_first_40_wcxb_pages(tmp_path: Path) -> None:
    gold = SHARED / "data" / "extraction" / "wcxb-dev-articles.jsonl.gz"
    if not gold.exists() or not extraction.SCORER.exists():
        pytest.skip("../shared WCXB data or scorer is absent")
    result = extraction.run(gold, tmp_path, limit=40)
    rows = {row["system"]: row for row in result["rows"]}
    assert rows["dateline"]["pages"] == 40
    assert rows["dateline"]["aeb_f1"] >= rows["trafilatura"]["aeb_f1"]
