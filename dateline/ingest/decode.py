"""Bytes -> text: byte-order marks, strict UTF-8, then detection; binary files refused with a reason."""

from __future__ import annotations

import re

import charset_normalizer

# Magic numbers of files that are never articles, with a name a person recognises.
BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
)
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control characters that never belong in article text (tab, newline and carriage return are kept).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why."""


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file this is, or None when it may be text."""
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    sample = data[:8192]
    if sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls / len(sample) > 0.1:
            return "binary data"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding). Declared charsets are not trusted: strict UTF-8 first, then detection."""
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"binary file ({kind}), not text")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return clean_text(data.decode(encoding, errors="replace")), encoding
    try:
        return clean_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    # Windows-1252 is what mislabelled news pages almost always are; latin-1 is its near twin.
    if encoding in ("latin_1", "iso8859_1", "iso-8859-1"):
        encoding = "cp1252"
    return clean_text(data.decode(encoding, errors="replace")), encoding


def clean_text(text: str) -> str:
    """Drop NULs and other control characters; normalise line ends."""
    return CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
