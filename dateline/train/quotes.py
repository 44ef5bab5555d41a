"""``dateline train quotes``: PolNeAR attributions -> spaCy DocBin -> ``spacy train`` -> the shipped quotes model.

The model is a span tagger (spaCy's transition-based ``ner`` component, under the name ``quote_spans``) with
the labels CONTENT, CUE and SOURCE, over an own tok2vec (``quotes.cfg``, spaCy's CPU efficiency defaults).
``quotes-shared.cfg`` is the cheaper alternative measured against it: the same head reading the pinned model's
shared ``tok2vec`` (sourced, frozen and annotating in training, removed from the written folder because
dateline runs it anyway) plus two trainable convolution layers; it trailed by about 7 points of span F1 at equal
steps, so it is not the shipped one (MODEL_CARD.md).

Gold spans: each quote's covering ``content`` span and each of its ``cue_spans`` and ``source_spans``,
trimmed like the shared scorer trims (whitespace, quotation marks, punctuation at both edges) and widened to
whole tokens; where spans overlap (a cue inside a split quote, a nested attribution) the longest is kept.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dateline.train import SHARED_DATA

CONFIG = Path(__file__).resolve().parent / "quotes.cfg"
DEFAULT_TRAIN = SHARED_DATA / "quotes" / "polnear-train.jsonl"
DEFAULT_DEV = SHARED_DATA / "quotes" / "polnear-dev.jsonl"
COMPONENT = "quote_spans"
LABELS = ("CONTENT", "CUE", "SOURCE")
LOG_NAME = "training-log.jsonl"
QUOTE_MARKS = set('"“”„‟«»〝〞＂\'‘’‚‛`')


def default_out() -> Path:
    from dateline.nlp.models import model_path

    return model_path("quotes")


def _strippable(ch: str) -> bool:
    return ch.isspace() or ch in QUOTE_MARKS or unicodedata.category(ch)[0] == "P"


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, quotation marks and punctuation (the scorer's trim)."""
    start, end = max(0, start), min(len(text), end)
    while start < end and _strippable(text[start]):
        start += 1
    while end > start and _strippable(text[end - 1]):
        end -= 1
    return start, end


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def gold_char_spans(article: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, label) of every gold piece, trimmed, before tokenisation and overlap removal."""
    text = article["text"]
    out: list[tuple[int, int, str]] = []
    for q in article.get("quotes") or []:
        pieces: list[tuple[dict[str, Any], str]] = []
        if q.get("content"):
            pieces.append((q["content"], "CONTENT"))
        pieces += [(s, "CUE") for s in q.get("cue_spans") or ([q["cue"]] if q.get("cue") else [])]
        pieces += [(s, "SOURCE") for s in q.get("source_spans") or ([q["source"]] if q.get("source") else [])]
        for span, label in pieces:
            s, e = trimmed(text, span["start"], span["end"])
            if e > s:
                out.append((s, e, label))
    return out


def to_docs(nlp: Any, articles: Iterable[dict[str, Any]]) -> Iterator[Any]:
    """Docs tokenised (and tagged and parsed, when ``nlp`` has those pipes) by the pinned model, with the gold
    spans as ``doc.ents``."""
    from spacy.util import filter_spans

    articles = list(articles)
    for article, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
        spans = []
        for s, e, label in gold_char_spans(article):
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.ents = filter_spans(spans)
        yield doc


def convert(src: Path, dest: Path, limit: int | None = None) -> int:
    """PolNeAR JSONL -> DocBin at ``dest``; returns the number of documents."""
    import spacy
    from spacy.tokens import DocBin

    from dateline.nlp.pipeline import MODEL

    # the tags and dependency labels the tagger embeds (quotes.cfg attrs; dateline.AnnotatedCorpus.v1 reads them)
    nlp = spacy.load(MODEL, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    db = DocBin(store_user_data=False)
    n = 0
    for doc in to_docs(nlp, read_jsonl(src, limit)):
        db.add(doc)
        n += 1
    db.to_disk(dest)
    return n


def run(train: Path | None = None, dev: Path | None = None, out: Path | None = None, seed: int = 0,
        limit: int | None = None, max_steps: int | None = None, config: Path | None = None) -> dict[str, Any]:
    """Convert, train with ``spacy train`` (``config`` or ``quotes.cfg``), write the shipped folder to ``out``.

    Returns the summary written beside the model: dev figures of the best step per label, wall time, steps.
    """
    from spacy.cli.train import train as spacy_train

    import dateline.nlp.quotes.learned  # noqa: F401  (registers the tagger's architecture)
    import dateline.train.corpus  # noqa: F401  (registers the reader of tagged and parsed documents)

    train = train or DEFAULT_TRAIN
    dev = dev or DEFAULT_DEV
    out = out or default_out()
    config = config or CONFIG
    for path in (train, dev):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: pass --train/--dev, or put PolNeAR in {SHARED_DATA}/quotes")
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dateline-train-quotes-") as tmp:
        work = Path(tmp)
        n_train = convert(train, work / "train.spacy", limit)
        n_dev = convert(dev, work / "dev.spacy", limit)
        print(f"converted {n_train} training and {n_dev} dev documents ({time.monotonic() - t0:.0f} s)", flush=True)
        overrides: dict[str, Any] = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                                     "system.seed": seed, "training.logger.output_file": str(work / LOG_NAME)}
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
            overrides["training.eval_frequency"] = max(1, min(200, max_steps))
        spacy_train(config, work / "output", overrides=overrides)
        summary = _write_model(work, out, seed=seed, n_train=n_train, n_dev=n_dev, config=config,
                               seconds=time.monotonic() - t0)
    print(f"wrote {out} in {summary['wall_seconds']:.0f} s wall time; best dev: "
          + ", ".join(f"{k} P/R/F {v['p']:.3f}/{v['r']:.3f}/{v['f']:.3f}" for k, v in summary["dev_best"].items()),
          flush=True)
    return summary


def _write_model(work: Path, out: Path, *, seed: int, n_train: int, n_dev: int, config: Path,
                 seconds: float) -> dict[str, Any]:
    import spacy

    best = work / "output" / "model-best"
    if not best.is_dir():
        best = work / "output" / "model-last"
    nlp = spacy.load(best)
    if "tok2vec" in nlp.pipe_names and _sources_pinned_tok2vec(config):
        nlp.remove_pipe("tok2vec")  # the pinned model's own tok2vec: dateline already runs it
    log = [json.loads(line) for line in (work / LOG_NAME).read_text(encoding="utf-8").splitlines() if line.strip()]
    per_type = (nlp.meta.get("performance") or {}).get("ents_per_type") or {}
    dev_log = [{"epoch": r["epoch"], "step": r["step"], "ents_f": r["scores"].get("ents_f"),
                "per_type": {k: round(v["f"], 4) for k, v in (r["scores"].get("ents_per_type") or {}).items()}}
               for r in log]
    summary: dict[str, Any] = {
        "config": config.name, "seed": seed, "train_docs": n_train, "dev_docs": n_dev,
        "wall_seconds": round(seconds, 1), "steps": log[-1]["step"] if log else 0,
        "dev_best": {k: per_type[k] for k in LABELS if k in per_type},
        "dev_log": dev_log,
    }
    nlp.meta["dateline_training"] = summary
    tmp_out = out.with_name(out.name + ".tmp")
    if tmp_out.exists():
        shutil.rmtree(tmp_out)
    nlp.to_disk(tmp_out)
    for keep in ("MODEL_CARD.md",):  # the hand-written card stays with the folder it describes
        if (out / keep).is_file():
            shutil.copy2(out / keep, tmp_out / keep)
    (tmp_out / LOG_NAME).write_text("".join(json.dumps(r) + "\n" for r in dev_log), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    tmp_out.rename(out)
    return summary


def _sources_pinned_tok2vec(config: Path) -> bool:
    """Whether the config's ``tok2vec`` is the pinned model's (``source = ...``, quotes-shared.cfg), which dateline
    runs anyway, rather than the tagger's own (quotes.cfg), which must ship with it."""
    from spacy.util import load_config

    return bool(load_config(config)["components"].get("tok2vec", {}).get("source"))


if __name__ == "__main__":  # python -m dateline.train.quotes [config]: the same as `dateline train quotes`
    run(config=Path(sys.argv[1]) if len(sys.argv) > 1 else None)
