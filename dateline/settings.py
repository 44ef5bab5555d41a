"""Options: one frozen object passed through ingest, clean and nlp. Defaults live here, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    # Inputs larger than this are refused with a reason rather than read into memory.
    max_bytes: int = 20 * 1024 * 1024
    # Bodies longer than this (characters) are cut before NLP; the record notes the cut.
    # (300,000 characters is about 50,000 words, several times the longest news story.)
    max_body_chars: int = 300_000
    # trafilatura is known to hang on some pages: it runs in a worker with this limit (seconds).
    extraction_timeout: float = 20.0
    # Largest decompressed size read from one gzip member or WARC record.
    max_record_bytes: int = 20 * 1024 * 1024
    # Texts shorter than this (characters, after cleaning) are "no usable article".
    min_body_chars: int = 20
    # nlp.pipe batch size.
    batch_size: int = 16
