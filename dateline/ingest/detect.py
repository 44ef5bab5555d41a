"""Which reader an input needs: by file name first, then by its first bytes."""

from __future__ import annotations

import re

EXTENSIONS = {
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".json": "json",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text", ".md": "text",
}
HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<article|<p[ >])", re.I)
FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*(\[.*?\])?>\s*)?<(rss|feed|rdf:RDF)\b",
                        re.I | re.S)


def detect_format(path: str | None, data: bytes | None = None) -> str:
    if path:
        name = path.lower()
        for ext in sorted(EXTENSIONS, key=len, reverse=True):
            if name.endswith(ext):
                return EXTENSIONS[ext]
    head = (data or b"")[:4096].lstrip(b"\xef\xbb\xbf")
    if FEED_START.match(head):
        return "feed"
    if HTML_START.match(head):
        return "html"
    if head.startswith((b"WARC/", b"\x1f\x8b")):
        return "warc"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "text"
