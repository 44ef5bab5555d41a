"""Web commands (serve), registered on the main app."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from dateline.cli import app
from dateline.store.db import DEFAULT_DB


@app.command()
def serve(
    db: Annotated[str, typer.Option("--db", help="SQLite file, or a postgresql:// URL.", envvar="DATELINE_DB")]
    = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    allowed_hosts: Annotated[str | None, typer.Option(
        "--allowed-hosts", help="Host header names to answer, comma-separated (* for any). Default: the --host "
        "(its loopback names for 127.0.0.1), or any name when serving on 0.0.0.0.")] = None,
) -> None:
    """Serve the web UI and the REST API on the knowledge base (upload-to-ingest only with DATELINE_UPLOAD_TOKEN)."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from dateline.store.migrations import DatabaseRefused
    from dateline.web.app import create_app
    from dateline.web.security import parse_allowed_hosts
    from dateline.web.vendor import installed

    console = Console(stderr=True, highlight=False)
    try:
        web_app = create_app(db, allowed_hosts=parse_allowed_hosts(allowed_hosts, host))
    except DatabaseRefused as exc:
        console.print(f"cannot serve: {exc}", markup=False)
        raise typer.Exit(2) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        console.print(f"cannot serve: cannot open the database {db}: {reason}", markup=False)
        raise typer.Exit(2) from exc
    if not installed():
        console.print("warning: front-end files missing (run scripts/build_web.sh): the map and /docs need them",
                      markup=False)
    shown = f"[{host}]" if ":" in host else host
    print(f"dateline is serving {db} at http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)", flush=True)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
