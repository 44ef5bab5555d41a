"""Training dateline's learned components with spaCy's own system (``spacy train``, configs in this folder).

Each ``<name>.py`` converts ``../shared/data`` into spaCy ``DocBin`` files, runs ``spacy train`` with the
config kept beside it (fixed seeds, dev figures printed per epoch) and writes the ``to_disk`` folder that
ships in ``dateline/nlp/models/<name>/``. Nothing in the run path (``make run``, ``analyze``, ``ingest``)
imports this package.
"""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
