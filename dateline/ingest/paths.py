"""Command-line inputs (files, folders, globs, "-") -> the files to read, each once, symlink loops cut."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator

from dateline.ingest.rawdoc import Failure

STDIN = "-"
# Files a folder walk passes over (named explicitly, they are still read): notes about a corpus, not articles.
NOT_ARTICLES = ("readme", "license", "licence", "changelog", "notice", "copying")


def expand_paths(inputs: Iterable[str]) -> Iterator[str | Failure]:
    """Yields file paths (or "-") in a stable order, and a Failure for each input that cannot be walked."""
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()
    for item in inputs:
        if item == STDIN:
            yield STDIN
            continue
        if os.path.lexists(item):
            matches = [item]
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(item, "no file matches this pattern")
                continue
        else:
            yield Failure(item, "no such file or folder")
            continue
        for path in matches:
            yield from _walk(path, seen_files, seen_dirs)


def _walk(path: str, seen_files: set[str], seen_dirs: set[str]) -> Iterator[str | Failure]:
    real = os.path.realpath(path)
    if os.path.isdir(path):
        if real in seen_dirs:
            yield Failure(path, f"folder already read (a symlink back to {real}); skipped")
            return
        seen_dirs.add(real)
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            yield Failure(path, f"cannot list folder: {exc.strerror}")
            return
        for name in names:
            if name.startswith(".") or name.split(".")[0].lower() in NOT_ARTICLES:
                continue
            yield from _walk(os.path.join(path, name), seen_files, seen_dirs)
    elif os.path.isfile(path):
        if real in seen_files:
            yield Failure(path, f"file already read as {real}; skipped")
            return
        seen_files.add(real)
        yield path
    elif os.path.islink(path):
        yield Failure(path, "broken symlink")
    else:
        yield Failure(path, "not a regular file")


def file_uri(path: str) -> str:
    return "file://" + os.path.abspath(path)
