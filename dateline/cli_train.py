"""``dateline train quotes|events``: rebuild a shipped model from the public training data (never run by make)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dateline.cli import app

train_app = typer.Typer(help="Train dateline's learned components on CPU with spaCy's training system.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")

TrainSet = Annotated[Path | None, typer.Option("--train", help="Training JSONL. Default: the set in ../shared/data.")]
DevSet = Annotated[Path | None, typer.Option("--dev", help="Development JSONL. Default: the set in ../shared/data.")]
OutDir = Annotated[Path | None, typer.Option("--out", help="Where the trained folder goes. Default: the shipped "
                                             "model's folder in dateline/nlp/models/.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (spaCy's system.seed).")]
Limit = Annotated[int | None, typer.Option("--limit", help="Only the first N training documents (a smoke run).")]
MaxSteps = Annotated[int | None, typer.Option("--max-steps", help="Stop after N optimizer steps (a smoke run).")]


@train_app.command("quotes")
def train_quotes(train: TrainSet = None, dev: DevSet = None, out: OutDir = None, seed: Seed = 0,
                 limit: Limit = None, max_steps: MaxSteps = None) -> None:
    """Attribution spans (CONTENT / CUE / SOURCE) from PolNeAR train, tuned on PolNeAR dev."""
    from dateline.train.quotes import run

    run(train=train, dev=dev, out=out, seed=seed, limit=limit, max_steps=max_steps)


@train_app.command("events")
def train_events(train: TrainSet = None, dev: DevSet = None, out: OutDir = None, seed: Seed = 0,
                 limit: Limit = None, max_steps: MaxSteps = None) -> None:
    """PLOVER event types from the NGEC silver stories (a tenth held out by id for the dev figures)."""
    from dateline.train.events import run

    run(train=train, dev=dev, out=out, seed=seed, limit=limit, max_steps=max_steps)
