"""The command line: thin Typer commands that parse options and call the package.

    dateline analyze PATH... [--json] [--out FILE.jsonl]
    dateline eval extraction|places|quotes|events GOLD.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from dateline.settings import Options

app = typer.Typer(help="dateline: news articles in, sourced and structured records out.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Evaluation commands: read a gold JSONL, print the published measures.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print records (one JSON object per line).")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write every record and failure to this JSONL file.")] = None,
    max_mb: Annotated[int, typer.Option("--max-mb", help="Refuse single articles larger than this.")] = 20,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Processes running the pipeline "
                                                "(output stays in input order); default: this machine's cores.")] = None,
) -> None:
    """Analyze articles and print their records (or a readable summary)."""
    from dateline.analyze import analyze as run
    from dateline.scale.processes import default_workers
    from dateline.summary import print_summary

    options = Options(max_bytes=max_mb * 2**20)
    failed = 0
    console = Console(highlight=False, soft_wrap=True)
    with (out.open("w", encoding="utf-8") if out else _nowhere()) as sink:
        for result in run(paths, options, workers=workers or default_workers()):
            line = json.dumps(result.as_json(), ensure_ascii=False)
            if sink is not None:
                sink.write(line + "\n")
            if not result.ok:
                failed += 1
                err.print(f"[red]failed[/red] {escape(result.source)}: {escape(result.error or '')}")
            elif result.record and result.record.get("duplicate_of"):
                err.print(f"[yellow]duplicate[/yellow] {escape(result.source)}: same body as "
                          f"{escape(result.record['duplicate_of'])}")
            if as_json:
                sys.stdout.write(line + "\n")
            elif result.ok and result.record is not None:
                print_summary(console, result.record)
    raise typer.Exit(1 if failed else 0)


class _nowhere:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@eval_app.command("extraction")
def eval_extraction(
    gold: Annotated[Path | None, typer.Argument(help="JSONL[.gz] of pages {id, html, body, title, author, date}. Default: the development set in ../shared/data.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the prediction files.")] = Path("out/eval-extraction"),
    limit: Annotated[int | None, typer.Option(help="Only the first N pages.")] = None,
) -> None:
    """Run dateline's HTML path and bare trafilatura side by side; score both."""
    from dateline.eval.extraction import run

    run(gold, out, limit=limit)


@eval_app.command("places")
def eval_places(
    gold: Annotated[Path | None, typer.Argument(help="JSONL of {id, text, toponyms:[{start,end,name,lat,lon,geonameid}]}. Default: the development set in ../shared/data.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
) -> None:
    """Toponym P/R/F1, accuracy@161 km, mean/median error and AUC (Gritta et al. 2019)."""
    from dateline.eval.places import run

    run(gold, limit=limit)


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[Path | None, typer.Argument(help="JSONL of {id, text, quotes:[{content, cue, source}]}. Default: the development set in ../shared/data.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
) -> None:
    """Precision, recall and F1 for quote content, cue and source, exact and overlap."""
    from dateline.eval.quotes import run

    run(gold, limit=limit)


@eval_app.command("anonymity")
def eval_anonymity(
    gold: Annotated[Path | None, typer.Argument(help="JSONL of {id, text, attributions:[{content, speaker, anonymous, reason}]}; "
                                                "default: the written dev and held-out sets in tests/data/quotes/.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    errors: Annotated[bool, typer.Option(help="List the attributions labelled wrongly.")] = False,
) -> None:
    """Named-or-anonymous label accuracy, speaker accuracy, anonymity-reason precision and recall."""
    from dateline.eval.anonymity import run

    run(gold, limit=limit, errors=errors)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path | None, typer.Argument(help="JSONL of {id, text, events:[{type, source, target}]}. Default: the development set in ../shared/data.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
) -> None:
    """Per-type precision/recall/F1 and macro/micro F1 of PLOVER event coding."""
    from dateline.eval.events import run

    run(gold, limit=limit)


@eval_app.command("actors")
def eval_actors(
    gold: Annotated[Path | None, typer.Argument(help="JSONL of {id, text, entities:[{name, role, country, mentions}]}; "
                                                "default: the project's own set in tests/data/actors/.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
) -> None:
    """MUC and B³ precision/recall/F1 of mention chains; role and country accuracy."""
    from dateline.eval.actors import run

    run(gold, limit=limit)


@app.command()
def setup() -> None:
    """Build the data dateline makes on first use ahead of time: the places gazetteer index (about a minute)."""
    from dateline.setup_data import main as build_data

    build_data()


# Commands of the knowledge base and the web app live beside this file; importing registers them.
from dateline import cli_across, cli_kb, cli_train, cli_web  # noqa: E402, F401


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)
