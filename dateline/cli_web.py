"""Web commands (serve), registered on the main app."""

from __future__ import annotations

from dateline.cli import app  # noqa: F401  (commands below register on it)
