"""``dateline train events``: the PLOVER type scorer (a spaCy ``textcat``) from the NGEC silver stories.

The stories (../shared/data/events/ngec-synthetic-silver.jsonl, one PLOVER type each) are split by a hash of
their id: a tenth is held out as the dev set (never trained on), the rest is training data. Each story gives
two examples with its type: the whole story and its lead sentence (the rules ask the model about single
sentences, and a news story states its event first). A seventeenth class, ``NONE``, is learned from text that
reports no political event: sentences and first paragraphs of the WCXB web articles (how-to guides, reviews,
product, health and business pages; ../shared/data/extraction, CC-BY-4.0), split by hash of their id the
same way. It is how the coder stays quiet out of its domain. spaCy's own ``train`` runs the config beside this file
(``events.cfg``); the best model on the held-out tenth is written to ``dateline/nlp/models/events/`` with
``figures.json`` (held-out type accuracy, wall time, seed, sizes).

The PETRARCH2 unit-test sentences are the project's development set: never read here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from dateline.train import SHARED_DATA

CONFIG = Path(__file__).resolve().parent / "events.cfg"
DEFAULT_TRAIN = SHARED_DATA / "events" / "ngec-synthetic-silver.jsonl"
DEFAULT_NEGATIVES = SHARED_DATA / "extraction" / "wcxb-dev-articles.jsonl.gz"
NONE = "NONE"  # the class of text with no event in it
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "nlp" / "models" / "events"
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
LABELS = (*PLOVER_TYPES, NONE)
NEGATIVE_SENTENCES_PER_PAGE = 8
MAX_PARSED_CHARS = 4000  # of a web page: its head has enough sentences with trigger words
HELD_OUT_SHARE = 10  # one story in ten, by hash of its id
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“‘A-Z0-9])")


def held_out(story_id: str) -> bool:
    """The deterministic split: a story is held out when the hash of its id falls in the last tenth."""
    return int(hashlib.sha1(story_id.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


def lead_sentence(text: str) -> str:
    """The story's first sentence (a cheap split: the parser is not needed to find a lead)."""
    first = text.strip().split("\n", 1)[0]
    return _SENTENCE_END.split(first, maxsplit=1)[0]


def read_stories(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        count = 0
        for line in lines:
            if not line.strip():
                continue
            story = json.loads(line)
            label = ((story.get("events") or [{}])[0] or {}).get("type")
            if label not in PLOVER_TYPES or not (story.get("text") or "").strip():
                continue
            yield story
            count += 1
            if limit is not None and count >= limit:
                return


def read_negatives(path: Path, limit: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """(page id, texts) from the web articles: the first paragraph and up to a few sentences of 6-60 words."""
    import gzip

    if not path.is_file():
        return
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for count, line in enumerate(lines):
            if limit is not None and count >= limit:
                return
            page = json.loads(line)
            paragraphs = [p.strip() for p in (page.get("body") or "").split("\n") if len(p.split()) >= 6]
            sentences = [s for p in paragraphs for s in _SENTENCE_END.split(p) if 6 <= len(s.split()) <= 60]
            texts = paragraphs[:1] + sentences[:NEGATIVE_SENTENCES_PER_PAGE]
            if texts:
                yield str(page.get("id") or page.get("url") or count), texts


def examples(stories: Iterable[dict[str, Any]], leads: bool = True, whole: bool = True) -> Iterator[tuple[str, str]]:
    """(text, type) pairs: every story whole, and its lead sentence."""
    for story in stories:
        label = story["events"][0]["type"]
        if whole:
            yield story["text"], label
        if leads:
            lead = lead_sentence(story["text"])
            if lead and lead != story["text"]:
                yield lead, label


def rule_sentences(texts: list[str], batch_size: int = 32) -> list[list[tuple[str, set[str]]]]:
    """For each text, its sentences in which the rule coder (alone, no model) codes an event, with the types
    it codes there: the model is asked about exactly such sentences, so it learns from them."""
    import spacy

    from dateline.nlp.components import events  # noqa: F401  (registers the factory)
    from dateline.nlp.extensions import register_extensions
    from dateline.nlp.pipeline import MODEL

    register_extensions()
    nlp = spacy.load(MODEL, exclude=["ner"])
    coder = nlp.add_pipe("dateline_events", config={"use_model": False})
    assert isinstance(coder, events.EventCoder)
    out: list[list[tuple[str, set[str]]]] = []
    for doc in nlp.pipe((nlp.make_doc(t[:MAX_PARSED_CHARS]) for t in texts), batch_size=batch_size):
        by_sentence: dict[int, tuple[str, set[str]]] = {}
        for event in coder.code_events(doc):
            sent = doc.char_span(event["evidence"]["start"], event["evidence"]["end"], alignment_mode="expand")
            if sent is None:
                continue
            sentence = sent.sent
            by_sentence.setdefault(sentence.start, (sentence.text.strip(), set()))[1].add(event["type"])
        out.append([by_sentence[k] for k in sorted(by_sentence)])
    return out


def write_docbin(pairs: Iterable[tuple[str, str]], path: Path) -> int:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=False)
    count = 0
    for text, label in pairs:
        doc = nlp.make_doc(text)
        doc.cats = {t: float(t == label) for t in LABELS}
        docbin.add(doc)
        count += 1
    docbin.to_disk(path)
    return count


def type_accuracy(nlp: Any, pairs: list[tuple[str, str]]) -> float:
    """Share of texts whose highest-scored PLOVER type (NONE left aside) is their label."""
    if not pairs:
        return 0.0
    right = sum(max(PLOVER_TYPES, key=lambda t: doc.cats.get(t, 0.0)) == label
                for doc, (_, label) in zip(nlp.pipe(t for t, _ in pairs), pairs, strict=True))
    return right / len(pairs)


def none_rate(nlp: Any, texts: list[str]) -> float:
    """Share of texts the model puts in NONE (its first choice)."""
    if not texts:
        return 0.0
    return sum(max(doc.cats, key=doc.cats.get) == NONE for doc in nlp.pipe(texts)) / len(texts)


def run(train: Path | None = None, dev: Path | None = None, out: Path | None = None, seed: int = 0,
        limit: int | None = None, max_steps: int | None = None, config: Path = CONFIG,
        negatives: Path = DEFAULT_NEGATIVES) -> dict[str, Any]:
    """Train and write the model folder; returns (and prints) the figures.

    ``train`` is the NGEC JSONL (its held-out tenth is the dev set unless ``dev`` names another JSONL of the
    same shape); ``limit`` keeps the first N training and N dev stories; ``max_steps`` caps optimizer steps;
    ``config`` is the spaCy config (``events.cfg``, the shipped one, or the ``events-tok2vec.cfg`` variant);
    ``negatives`` the gzipped JSONL of web articles the NONE class is learned from (skipped when absent).
    """
    import spacy
    from spacy.cli.train import train as spacy_train

    train_path = Path(train) if train is not None else DEFAULT_TRAIN
    if not train_path.is_file():
        raise SystemExit(f"no training data at {train_path} (see ../shared/data/README.md)")
    stories = list(read_stories(train_path))
    train_stories = [s for s in stories if not held_out(s["id"])]
    dev_stories = list(read_stories(Path(dev))) if dev is not None else [s for s in stories if held_out(s["id"])]
    pages = list(read_negatives(negatives, limit))
    if limit is not None:
        train_stories, dev_stories, pages = train_stories[:limit], dev_stories[:max(2, limit // 5)], pages[:limit]
    started = time.monotonic()
    # The sentences where the rules code an event: in a story, those coding the story's own type are examples
    # of it; on a web page, every one is an example of NONE (trigger words out of the domain).
    story_sentences = rule_sentences([s["text"] for s in train_stories + dev_stories])
    page_sentences = rule_sentences([" ".join(texts) for _, texts in pages])
    labelled = [[(text, story["events"][0]["type"]) for text, types in found if story["events"][0]["type"] in types]
                for story, found in zip(train_stories + dev_stories, story_sentences, strict=True)]
    train_rule, dev_rule = (list(chain.from_iterable(labelled[:len(train_stories)])),
                            list(chain.from_iterable(labelled[len(train_stories):])))
    web = [(page_id, texts + [text for text, _ in found]) for (page_id, texts), found in zip(pages, page_sentences, strict=True)]
    train_none = [(t, NONE) for page_id, texts in web if not held_out(page_id) for t in texts]
    dev_none = [(t, NONE) for page_id, texts in web if held_out(page_id) for t in texts]
    dev_web_rule = [text for (page_id, _), found in zip(pages, page_sentences, strict=True) if held_out(page_id)
                    for text, _ in found]
    prepared = time.monotonic() - started
    out_dir = Path(out) if out is not None else DEFAULT_OUT
    with tempfile.TemporaryDirectory(prefix="dateline-train-events-") as tmp:
        work = Path(tmp)
        n_train = write_docbin(chain(examples(train_stories, whole=False), train_rule, train_none), work / "train.spacy")
        n_dev = write_docbin(chain(dev_rule, dev_none), work / "dev.spacy")
        overrides: dict[str, Any] = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                                     "system.seed": seed}
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
            overrides["training.eval_frequency"] = max(1, min(200, max_steps))
        spacy_train(config, work / "output", overrides=overrides)
        best = work / "output" / "model-best"
        if not best.is_dir():
            best = work / "output" / "model-last"
        if out_dir.exists():
            for child in out_dir.iterdir():  # keep MODEL_CARD.md (written by hand) and replace the rest
                if child.name != "MODEL_CARD.md":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        out_dir.mkdir(parents=True, exist_ok=True)
        for child in best.iterdir():
            target = out_dir / child.name
            shutil.copytree(child, target) if child.is_dir() else shutil.copy2(child, target)
    wall = time.monotonic() - started
    model = spacy.load(out_dir)
    dev_leads = [(lead_sentence(s["text"]), s["events"][0]["type"]) for s in dev_stories]
    figures = {
        "config": Path(config).name, "seed": seed, "train_stories": len(train_stories), "train_examples": n_train,
        "held_out_stories": len(dev_stories), "dev_examples": n_dev, "max_steps": max_steps,
        "held_out_story_type_accuracy": round(type_accuracy(model, [(s["text"], s["events"][0]["type"]) for s in dev_stories]), 4),
        "held_out_lead_type_accuracy": round(type_accuracy(model, dev_leads), 4),
        "held_out_rule_sentence_type_accuracy": round(type_accuracy(model, dev_rule), 4),
        "held_out_rule_sentences": len(dev_rule),
        "held_out_rule_sentence_none_rate": round(none_rate(model, [t for t, _ in dev_rule]), 4),
        "held_out_web_rule_sentence_none_rate": round(none_rate(model, dev_web_rule), 4),
        "held_out_web_rule_sentences": len(dev_web_rule),
        "held_out_story_none_rate": round(none_rate(model, [s["text"] for s in dev_stories]), 4),
        "held_out_lead_none_rate": round(none_rate(model, [t for t, _ in dev_leads]), 4),
        "held_out_web_none_rate": round(none_rate(model, [t for t, _ in dev_none]), 4),
        "web_train_examples": len(train_none), "web_held_out_examples": len(dev_none),
        "train_rule_sentences": len(train_rule), "prepare_seconds": round(prepared, 1), "wall_seconds": round(wall, 1),
        "size_bytes": sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file()),
    }
    (out_dir / "figures.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return figures
