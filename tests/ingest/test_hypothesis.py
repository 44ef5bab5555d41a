"""Property-based tests of the readers (issue 17): random bytes, truncations and re-encodings of the example files,
through the real readers, cleaning and spaCy model. Every input ends as records or failures with a reason; none
vanishes and none is a crash of dateline (``Result.retry`` marks those)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.analyze import Result, analyze_unmarked
from dateline.ingest import read_inputs
from dateline.settings import Options

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_file() and p.suffix != ".md")
SUFFIXES = sorted({p.name[len(p.stem):] for p in EXAMPLES} | {".html", ".txt", ".jsonl", ".json", ".xml", ""})
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "mac_roman", "cp437"]
EXAMPLES_PER_TEST = int(os.environ.get("DATELINE_FUZZ_EXAMPLES", "25"))
OPTIONS = Options(max_bytes=2**20)
TRIED: dict[str, int] = {}  # inputs tried per strategy (printed for the README's reliability figures)
FUZZ = settings(max_examples=EXAMPLES_PER_TEST, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def outcomes(data: bytes, suffix: str, nlp: Any) -> list[Result]:
    """The Results of one input file holding ``data``, read as ``dateline ingest`` reads a file."""
    with tempfile.TemporaryDirectory(prefix="dateline-fuzz-") as folder:
        path = os.path.join(folder, "input" + suffix)
        with open(path, "wb") as f:
            f.write(data)
        return list(analyze_unmarked(read_inputs([path], OPTIONS), OPTIONS, nlp=nlp))


def check(results: list[Result], what: str) -> None:
    TRIED[what] = TRIED.get(what, 0) + 1
    assert results, "the input vanished: no record and no failure"
    for result in results:
        if result.ok:
            record = result.record
            assert record is not None and record["body"].strip() and record["id"]
            for entity in record.get("entities") or []:  # facts keep spans into the body
                for mention in entity.get("mentions") or []:
                    assert record["body"][mention["start"]:mention["end"]] == mention["text"]
        else:
            assert result.error and result.error.strip(), "a failure without a reason"
            assert not result.retry, f"dateline itself failed on this input: {result.error}"


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_are_records_or_failures_with_reasons(model_nlp: Any, data: bytes, suffix: str) -> None:
    check(outcomes(data, suffix, model_nlp), "random bytes")


@FUZZ
@given(example=st.sampled_from(EXAMPLES), cut=st.floats(0, 1))
def test_truncated_examples_are_records_or_failures_with_reasons(model_nlp: Any, example: Path, cut: float) -> None:
    data = example.read_bytes()
    check(outcomes(data[:int(len(data) * cut)], example.name[len(example.stem):], model_nlp), "truncations")


@FUZZ
@given(example=st.sampled_from([p for p in EXAMPLES if p.suffix in (".txt", ".html", ".jsonl")]),
       encoding=st.sampled_from(ENCODINGS), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                          max_size=8))
def test_reencoded_examples_are_records_or_failures_with_reasons(model_nlp: Any, example: Path, encoding: str,
                                                                 flips: list[tuple[float, int]]) -> None:
    data = bytearray(example.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    for where, value in flips:  # a few damaged bytes on top
        if data:
            data[int(where * (len(data) - 1))] = value
    results = outcomes(bytes(data), example.suffix, model_nlp)
    check(results, "re-encodings")
    if not flips and encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32") and example.suffix == ".txt":
        assert all(r.ok for r in results), [r.error for r in results]  # a faithful encoding still reads


@pytest.fixture(scope="module", autouse=True)
def report_tried() -> Any:
    yield
    print(f"\nreaders fuzzed: {dict(TRIED)} inputs, every one a record or a failure with a reason")
