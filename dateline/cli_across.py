"""Commands across articles: claim trails, event clusters, sourcing profiles (registered on the main app).

    dateline claims [WORDS] [--speaker NAME] [--denied] [--lost] [--id N] --format table|json|csv
    dateline clusters [--type T] [--conflict] --format table|json|csv
    dateline sourcing --by publisher|month|country|type|actor --format table|json|csv
    dateline across [--rebuild]      index stored articles not indexed yet (or all again)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from dateline.cli import app
from dateline.cli_kb import Db, Fmt, Limit, Offset, OutputFormat, Since, Until, _emit, _open, err
from dateline.store.db import DEFAULT_DB


def _warn_pending(engine: object) -> None:
    from dateline.store.across import pending

    with engine.connect() as conn:  # type: ignore[attr-defined]
        waiting = pending(conn)
    if waiting:
        err.print(f"{waiting} stored articles are not indexed across articles yet: run `dateline across`")


@app.command()
def claims(
    text: Annotated[str | None, typer.Argument(help="Words the claim's content holds (all of them).")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Words of the speaker's name.")] = None,
    since: Since = None, until: Until = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only claims in at least N articles.")] = 2,
    denied: Annotated[bool | None, typer.Option("--denied/--not-denied", help="Only denied / never denied.")] = None,
    lost: Annotated[bool | None, typer.Option("--lost/--kept", help="Named first, later anonymous or unattributed "
                                                                      "(--lost), or not (--kept).")] = None,
    claim_id: Annotated[int | None, typer.Option("--id", help="Show this claim's trail and denials.")] = None,
    db: Db = DEFAULT_DB, fmt: Fmt = OutputFormat.table, limit: Limit = 50, offset: Offset = 0,
) -> None:
    """Claims that travelled: first appearance, how often and where, attribution on the way, denials."""
    from dateline.store.across import read

    engine = _open(db)
    _warn_pending(engine)
    if claim_id is not None:
        claim = read.get_claim(engine, claim_id)
        if claim is None:
            err.print(f"no claim {claim_id}")
            raise typer.Exit(1)
        rows = [{"claim_id": claim_id, "role": a["kind"], **{k: a[k] for k in
                 ("published", "publisher", "attribution", "speaker_name", "content", "article_id", "quote_id",
                  "start_char", "end_char")}} for a in claim["appearances"]]
        rows += [{"claim_id": claim_id, "role": "denial", "attribution": "named", **{k: d[k] for k in
                  ("published", "publisher", "speaker_name", "content", "article_id", "quote_id", "start_char",
                   "end_char")}} for d in claim["denials"]]
        _emit(rows, fmt, ["published", "publisher", "role", "attribution", "speaker_name", "content"])
        return
    f = read.ClaimFilters(text=text, speaker=speaker, since=since, until=until, min_articles=min_articles,
                          denied=denied, lost=lost)
    page = read.list_claims(engine, f, limit=limit, offset=offset)
    _emit(page.items, fmt, ["id", "first_published", "first_publisher", "speaker_name", "first_attribution",
                            "articles", "outlets", "denials", "lost_attribution", "content"], page.total)


@app.command()
def clusters(
    type: Annotated[str | None, typer.Option("--type", help="PLOVER event type.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code.")] = None,
    since: Since = None, until: Until = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only clusters reported by N articles.")] = 1,
    conflict: Annotated[bool | None, typer.Option("--conflict/--agree", help="Only clusters whose reports "
                                                                             "disagree / agree.")] = None,
    cluster_id: Annotated[int | None, typer.Option("--id", help="Show this cluster's reports.")] = None,
    db: Db = DEFAULT_DB, fmt: Fmt = OutputFormat.table, limit: Limit = 50, offset: Offset = 0,
) -> None:
    """Event clusters: one happening and every report of it, with the figures reports disagree on."""
    from dateline.store.across import read

    engine = _open(db)
    _warn_pending(engine)
    if cluster_id is not None:
        cluster = read.get_cluster(engine, cluster_id)
        if cluster is None:
            err.print(f"no cluster {cluster_id}")
            raise typer.Exit(1)
        _emit(cluster["reports"], fmt, ["published", "publisher", "type", "source_text", "target_text",
                                        "place_name", "day", "evidence"])
        return
    f = read.ClusterFilters(type=type, country=country, since=since, until=until, min_articles=min_articles,
                            conflict=conflict)
    page = read.list_clusters(engine, f, limit=limit, offset=offset)
    _emit(page.items, fmt, ["id", "type", "day", "place_name", "reports", "articles", "outlets", "numbers",
                            "conflict"], page.total)


class By(StrEnum):
    publisher = "publisher"
    month = "month"
    country = "country"
    type = "type"
    actor = "actor"


@app.command()
def sourcing(
    by: Annotated[By, typer.Option("--by", help="publisher, month, country, type or actor.")] = By.publisher,
    since: Since = None, until: Until = None,
    db: Db = DEFAULT_DB, fmt: Fmt = OutputFormat.table, limit: Limit = 50,
) -> None:
    """Named vs anonymous sources, reasons given for anonymity and speaker kinds, by one dimension."""
    from dateline.store.across.sourcing import profile

    engine = _open(db)
    _warn_pending(engine)
    rows = profile(engine, by.value, since=since, until=until, limit=limit)
    columns = ["key", *(["name"] if by is By.actor else []), "quotes", "named_share", "anonymous_share",
               "reason_share", "reason_safety", "reason_unauthorised", "reason_sensitive", "reason_investigation",
               "reason_other", "kind_official", "kind_expert", "kind_witness", "kind_group"]
    _emit(rows, fmt, columns)


@app.command()
def across(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget claims, clusters and counts; index all again.")] = False,
    db: Db = DEFAULT_DB,
) -> None:
    """Index the stored articles not yet in claims, clusters and sourcing counts (ingest does it as it goes)."""
    from dateline.store import across as layer

    engine = _open(db)
    done = layer.rebuild(engine) if rebuild else layer.catch_up(engine)
    err.print(f"indexed {done} articles across articles")
