"""Every Doc extension dateline uses, registered in one place (idempotent).

The contract between components (see ../shared/spec/record.md for the shapes):
- ``doc._.dateline_context``: dict set before the pipeline runs: ``published`` (ISO date or None),
  ``published_precision``, ``dateline`` ({"place","agency"} or None), ``title``, ``language``.
- ``doc._.dateline_actors``: list of record-shaped entity dicts ({"id","name","type","role","country",
  "actor","mentions":[{"start","end","text"}]}); char offsets into ``doc.text``.
- ``doc._.dateline_places``: list of record-shaped place dicts.
- ``doc._.dateline_quotes``: list of record-shaped quote dicts.
- ``doc._.dateline_events``: list of record-shaped event dicts.
Components only write their own attribute and read those of components before them.
record.py is the one reader that turns them into the record.
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = (
    "dateline_context",
    "dateline_actors",
    "dateline_places",
    "dateline_quotes",
    "dateline_events",
)


def register_extensions() -> None:
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
