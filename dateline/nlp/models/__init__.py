"""dateline's trained spaCy models: package data, one ``to_disk`` folder per model, loaded once per process.

Each folder ``dateline/nlp/models/<name>/`` holds what ``Language.to_disk`` wrote plus a ``MODEL_CARD.md``
(data and terms, config, seed, dev figures, known limits). ``dateline train <name>`` rebuilds it from
``../shared/data``; nothing here is downloaded, and a missing or broken folder is an error, never a silent
fallback to the rules alone.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODELS_DIR = Path(__file__).resolve().parent


class ModelMissing(RuntimeError):
    """A trained model folder that dateline needs is absent or cannot be loaded."""


def model_path(name: str) -> Path:
    return MODELS_DIR / name


@functools.cache
def load_model(name: str) -> Language:
    """The trained pipeline ``name``, loaded on first use and then shared by the process."""
    import spacy

    path = model_path(name)
    fix = (f"reinstall dateline from a complete checkout (the folder is package data, committed in git), "
           f"or rebuild it with `dateline train {name}` (README, 'Trained models')")
    if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
        raise ModelMissing(f"dateline's trained '{name}' model is missing: no config.cfg/meta.json in {path}; {fix}")
    try:
        return spacy.load(path)
    except Exception as exc:  # a truncated or mixed-up folder: say which, and how to get a good one
        raise ModelMissing(f"dateline's trained '{name}' model at {path} cannot be loaded "
                           f"({type(exc).__name__}: {exc}); {fix}") from exc
