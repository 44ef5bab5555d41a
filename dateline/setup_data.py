"""Build the data dateline needs at setup (run by `make setup`): today, the places gazetteer index."""

from __future__ import annotations


def main() -> None:
    try:
        from dateline.nlp import gazetteer
    except ImportError:  # the gazetteer is not part of this build yet
        return
    build = getattr(gazetteer, "ensure_built", None) or getattr(gazetteer, "build", None)
    if build is not None:
        build()


if __name__ == "__main__":
    main()
