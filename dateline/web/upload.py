"""POST /api/ingest: upload one article to ingest. Registered only when DATELINE_UPLOAD_TOKEN is set.

The file name is used only for its suffix (from a fixed list); the bytes go to a fresh temporary folder
under a fixed name, so no request can choose where anything is written.
"""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from dateline.web.deps import Eng

TOKEN_ENV = "DATELINE_UPLOAD_TOKEN"
SUFFIXES = (".html", ".htm", ".txt", ".json", ".jsonl", ".warc", ".gz", ".xml")
MAX_BYTES = 20 * 2**20


def upload_router(token: str) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["ingest"])

    @router.post("/ingest")
    async def ingest_upload(request: Request, engine: Eng,
                            authorization: Annotated[str, Header(description="Bearer TOKEN")] = "",
                            filename: Annotated[str, Query(max_length=200, description="Name (for its suffix).")]
                            = "upload.html") -> dict[str, object]:
        """Ingest the request body as one input file (needs ``Authorization: Bearer <token>``)."""
        if not hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "a valid bearer token is required")
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise HTTPException(415, f"file name must end in one of {', '.join(SUFFIXES)}")
        body = await request.body()
        if not body or len(body) > MAX_BYTES:
            raise HTTPException(413, "empty or larger than 20 MB")
        return await run_in_threadpool(_ingest_bytes, engine, body, suffix)

    return router


def _ingest_bytes(engine: object, body: bytes, suffix: str) -> dict[str, object]:
    from dateline.store.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="dateline-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(body)
        summary = ingest([str(path)], engine)  # type: ignore[arg-type]
    result: dict[str, object] = summary.as_dict()
    return result
