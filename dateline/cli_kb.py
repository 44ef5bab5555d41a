"""Knowledge-base commands (ingest, search, quotes, events, actors, export), registered on the main app.

Thin: each parses options, calls dateline.store, and formats what comes back.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dateline.cli import app
from dateline.settings import Options
from dateline.store.db import DEFAULT_DB

err = Console(stderr=True, highlight=False, soft_wrap=True)

Db = Annotated[str, typer.Option("--db", help="SQLite file, or a postgresql:// URL.", envvar="DATELINE_DB")]
Actor = Annotated[str | None, typer.Option("--actor", help="Actor id or name.")]
Place = Annotated[str | None, typer.Option("--place", help="Place name.")]
Country = Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code.")]
EventType = Annotated[str | None, typer.Option("--type", help="PLOVER event type (ACCUSE, AID, …).")]


def _date(value: str | None) -> str | None:
    from dateline.store.query import check_date_filter

    try:
        return check_date_filter(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


Since = Annotated[str | None, typer.Option("--since", callback=_date, help="ISO date, month or year (inclusive).")]
Until = Annotated[str | None, typer.Option("--until", callback=_date, help="ISO date, month or year (inclusive).")]
Anonymous = Annotated[bool | None, typer.Option("--anonymous/--named", help="Only anonymous / only named sources.")]
Denial = Annotated[bool, typer.Option("--denial", help="Only denials (quotes) or negated events.")]
Limit = Annotated[int, typer.Option("--limit", min=1, max=1000, help="Rows per page (1 to 1000).")]
Offset = Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Fmt = Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")]


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _open(db: str, *, create: bool = False) -> Any:
    """The database's Engine, or exit 2 with the reason; only ``ingest`` creates a database (``create``)."""
    from dateline.store import open_db
    from dateline.store.migrations import DatabaseRefused

    try:
        return open_db(db, create=create)
    except DatabaseRefused as exc:
        err.print(f"[red]cannot use the database:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        err.print(f"[red]cannot open the database {escape(db)}:[/red] {type(exc).__name__}: {escape(reason)}")
        raise typer.Exit(2) from exc


class _Interrupted(Exception):
    """Ctrl-C during an ingest, with the articles committed before it (None when not known)."""

    def __init__(self, committed: int | None) -> None:
        super().__init__(committed)
        self.committed = committed


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for standard input.")],
    db: Db = DEFAULT_DB,
    engine: Annotated[Engine, typer.Option("--engine", help="local (one process) or ray.")] = Engine.local,
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster address (default: a local Ray).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Processes (local) or Ray actors running "
                                                "the pipeline; default: this machine's cores.")] = None,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Ray: write records to this Parquet folder "
                                                                    "instead of the database.")] = None,
    max_mb: Annotated[int, typer.Option("--max-mb", min=1, help="Refuse single articles larger than this.")] = 20,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per nlp.pipe batch.")] = 16,
    commit_every: Annotated[int, typer.Option("--commit-every", min=1, help="Results per database transaction.")]
    = 32,
) -> None:
    """Analyze articles and store them in the knowledge base (resumable; re-running adds nothing twice).

    Exit status: 0 when every input was stored, 1 when some failed (listed), 2 when the database failed, 130 on
    Ctrl-C (what was committed stays; the same command resumes)."""
    from dateline.scale.processes import default_workers
    from dateline.store.ingest import IngestError
    from dateline.store.migrations import DatabaseRefused

    options = Options(max_bytes=max_mb * 2**20, batch_size=batch_size)
    workers = workers or default_workers()
    try:
        if engine is Engine.ray:
            from dateline.scale.ray_ingest import ray_ingest

            summary = ray_ingest(paths, db=db, options=options, address=address, workers=workers, parquet=parquet)
        else:
            summary = _ingest_local(paths, db, options, quiet, commit_every, workers)
    except IngestError as exc:
        err.print(f"[red]ingest stopped:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except DatabaseRefused as exc:
        err.print(f"[red]cannot use the database:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except (KeyboardInterrupt, _Interrupted) as exc:
        committed = exc.committed if isinstance(exc, _Interrupted) else None
        done = "What was committed before it stays" if committed is None else \
            f"{committed} articles were committed before it and stay"
        err.print(f"[yellow]ingest interrupted:[/yellow] {done}; the batch in progress was not committed. Run the "
                  "same command again to resume: finished files are skipped and nothing is stored twice.")
        raise typer.Exit(130) from None
    s = summary.as_dict()
    rate = s["ingested"] / s["seconds"] if s["seconds"] else 0.0
    err.print(f"ingested {s['ingested']} articles, {s['duplicates']} duplicates, {s['failed']} failed "
              f"({s['files']} files read, {s['files_skipped']} already done) in {s['seconds']:.1f} s "
              f"({rate:.1f} articles/s)")
    examples = s.get("failure_examples") or {}
    for kind, n in sorted(s["failed_by_reason"].items(), key=lambda kv: -kv[1]):
        example = examples.get(kind)
        shown = example if example and (n == 1 or example == kind) else f"{kind} (e.g. {example})" if example else kind
        err.print(f"  failed: {n} × {escape(shown)}")
    if s["to_retry"]:
        err.print(f"  {s['to_retry']} of the failures came from dateline or the machine, not the input: "
                  "the next `dateline ingest` of these paths tries them again")
    if s["failed"]:
        raise typer.Exit(1)


def _ingest_local(paths: list[str], db: str, options: Options, quiet: bool, commit_every: int,
                  workers: int) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from dateline.store.ingest import IngestSummary, ingest, plan_inputs

    engine = _open(db, create=True)
    total_files = len(plan_inputs(paths, engine)[0])
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TextColumn("{task.fields[articles]} articles, {task.fields[rate]:.1f} articles/s"),
               TimeRemainingColumn())
    with Progress(*columns, console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("ingest", total=total_files or None, articles=0, rate=0.0)

        committed = [0]

        def report(summary: IngestSummary, finished: int) -> None:
            committed[0] = summary.ingested
            rate = summary.ingested / summary.seconds if summary.seconds else 0.0
            bar.update(task, completed=finished, articles=summary.ingested, rate=rate)

        try:
            return ingest(paths, engine, options, progress=report, commit_every=commit_every, workers=workers)
        except KeyboardInterrupt:
            raise _Interrupted(committed[0]) from None


def _emit(rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[str], total: int | None = None) -> None:
    """Rows as a table (chosen columns), JSON Lines or CSV (all columns). Text is printed, never markup."""
    if fmt is OutputFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(*columns, show_lines=False, highlight=False)
        for row in rows:
            table.add_row(*[_cell(row.get(c)) for c in columns])
        console = Console(highlight=False)
        console.print(table, markup=False)
        if total is not None:
            console.print(f"{len(rows)} of {total}", markup=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _listing(name: str, lister: str, columns: list[str], default_limit: int, text_help: str, doc: str) -> None:
    """Register ``dateline NAME [TEXT] [filters]``: one query function of dateline.store.query, one table.

    search, quotes, events and actors take the same filters and differ only in what they list."""

    def command(
        text: str | None = None,
        actor: Actor = None, place: Place = None, country: Country = None, type: EventType = None,
        since: Since = None, until: Until = None, anonymous: Anonymous = None, denial: Denial = False,
        db: Db = DEFAULT_DB, fmt: Fmt = OutputFormat.table, limit: Limit = default_limit, offset: Offset = 0,
    ) -> None:
        from dateline.store import query

        f = query.Filters(text=text, actor=actor, place=place, country=country, type=type, since=since,
                          until=until, anonymous=anonymous, denial=denial or None)
        page = getattr(query, lister)(_open(db), f, limit=limit, offset=offset)
        _emit(page.items, fmt, columns, page.total)

    command.__doc__ = doc
    # Annotations are strings here (postponed evaluation): the argument's help is set as an object instead.
    command.__annotations__["text"] = Annotated[str | None, typer.Argument(help=text_help)]
    app.command(name)(command)


_listing("search", "search_articles", ["published", "title", "id", "source_uri"], 20,
         "Words to find (all must appear).", "Search articles by text and filters.")
_listing("quotes", "list_quotes", ["published", "speaker_name", "anonymous", "content", "anonymity_reason"], 50,
         "Words the article must contain.", "Quotes with their speakers (named or anonymous, with the reason given).")
_listing("events", "list_events", ["day", "type", "source_text", "target_text", "place_name", "negated", "evidence"],
         50, "Words the article must contain.", "Events: who did what (PLOVER type) to whom, where and when.")
_listing("actors", "list_actors", ["id", "name", "type", "role", "country", "articles", "quotes"], 50,
         "Words the article must contain.",
         "Actors across articles (one id per person or group), with article and quote counts.")


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class ExportTable(StrEnum):
    records = "records"
    quotes = "quotes"
    events = "events"
    gdelt = "gdelt"


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl, csv or parquet.")] = ExportFormat.jsonl,
    table: Annotated[ExportTable, typer.Option("--table", help="records, quotes, events or gdelt.")] = ExportTable.records,
    db: Db = DEFAULT_DB,
) -> None:
    """Export a table of the knowledge base (gdelt: one row per event with actor codes, place, date, URL)."""
    from dateline.store.export import export as run

    folder = out.resolve().parent
    if not folder.is_dir():
        err.print(f"[red]cannot export:[/red] the folder {escape(str(folder))} does not exist (make it first)")
        raise typer.Exit(2)
    engine = _open(db)
    try:
        rows = run(engine, out, fmt.value, table.value)  # type: ignore[arg-type]
    except OSError as exc:
        err.print(f"[red]cannot export to {escape(str(out))}:[/red] {escape(exc.strerror or str(exc))}")
        raise typer.Exit(2) from exc
    err.print(f"wrote {rows} {table.value} rows to {escape(str(out))}")
