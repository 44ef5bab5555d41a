"""Build the data dateline needs at setup (`make setup` runs this): the places gazetteer index."""

from __future__ import annotations

from dateline.nlp.gazetteer import ensure_built


def main() -> None:
    path = ensure_built()
    print(f"gazetteer ready: {path}")


if __name__ == "__main__":
    main()
