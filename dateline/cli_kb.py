"""Knowledge-base commands (ingest, search, quotes, events, actors, export), registered on the main app."""

from __future__ import annotations

from dateline.cli import app  # noqa: F401  (commands below register on it)
