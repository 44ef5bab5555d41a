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
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web UI and the REST API on the knowledge base (upload-to-ingest only with DATELINE_UPLOAD_TOKEN)."""
    import uvicorn

    from dateline.web.app import create_app
    from dateline.web.vendor import installed

    console = Console(stderr=True, highlight=False)
    web_app = create_app(db)
    if not installed():
        console.print("warning: front-end files missing (run scripts/build_web.sh): the map and /docs need them",
                      markup=False)
    shown = f"[{host}]" if ":" in host else host
    print(f"dateline is serving {db} at http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)", flush=True)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
