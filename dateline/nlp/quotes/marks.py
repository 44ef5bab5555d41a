"""Step 1: quotation marks paired within paragraphs (a paragraph left open continues into the next one only
when that one opens with a mark — the newswire convention), capped in length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dateline.nlp.quotes.attribution import QuotedSpan

# Opening mark -> the closing marks that end it. A straight quote closes itself.
OPENERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”"}  # a curly quote closed by a straight one happens
MARKS = frozenset("“”\"«»„")
# Newspaper archives (LexisNexis, the NYT archive) write quotation marks as two apostrophes: ''A,'' he said.
DOUBLED_APOSTROPHE = "''"
MARK_TOKENS = MARKS | {DOUBLED_APOSTROPHE}  # how a quotation mark looks as a token
SENTENCE_END = frozenset(".?!…:;—-")
MAX_QUOTE_CHARS = 3000  # no quote is longer, however the marks fall
MAX_CONTINUED_PARAGRAPHS = 6


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text separated by blank lines."""
    bounds = []
    for match in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        bounds.append((match.start(), match.end()))
    return bounds


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _marks_in(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    for i in range(start, end):
        if text[i] in MARKS:
            yield i, text[i]


def _pairs_in_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open_mark, close_mark) positions in one paragraph, and the position of a mark left open."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    nested: str | None = None  # a quote of the other kind opened inside ('"He called it “a gift” today"')
    for i, mark in _marks_in(text, start, end):
        if open_at is None:
            if mark in OPENERS:
                open_at = i
        elif nested is not None:
            if mark in OPENERS[nested]:
                nested = None
        elif mark in OPENERS[text[open_at]]:
            pairs.append((open_at, i))
            open_at = None
        elif mark == text[open_at]:
            open_at = i  # the same opener again: the first one was never closed; start over from here
        elif mark in OPENERS and mark not in "\"":
            nested = mark
    return pairs, open_at


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    return start < end and text[start] in OPENERS


def _marks_view(text: str) -> str:
    """``text`` with each doubled apostrophe turned into one straight quote and a space (same length), the
    quote on the outer side, so the pairing below needs no second kind of mark and the space is stripped
    from the content. A pair after a space, a line break or an opening bracket opens a quote; any other
    closes one."""
    if DOUBLED_APOSTROPHE not in text:
        return text
    chars = list(text)
    for match in re.finditer(r"(?<!')''(?!')", text):
        at = match.start()
        opens = at == 0 or text[at - 1].isspace() or text[at - 1] in "([{—–-"
        chars[at], chars[at + 1] = ('"', " ") if opens else (" ", '"')
    return "".join(chars)


def find_quoted_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotedSpan]:
    """Quoted spans in reading order. A mark left open at a paragraph's end continues into the next
    paragraph only if that paragraph opens with a mark; otherwise the quote stops at its paragraph's end."""
    text = _marks_view(text)
    spans: list[QuotedSpan] = []
    carry: QuotedSpan | None = None
    carried = 0
    for p_start, p_end in paragraphs:
        scan_from = p_start
        if carry is not None:
            if _opens_with_mark(text, p_start, p_end) and carried < MAX_CONTINUED_PARAGRAPHS:
                close = _first_closer(text, p_start + 1, p_end)
                if close is not None:
                    carry.pieces.append(_strip(text, p_start + 1, close))
                    carry.end = carry.pieces[-1][1]
                    carry.closed = True
                    spans.append(carry)
                    carry = None
                    scan_from = close + 1
                else:
                    carry.pieces.append(_strip(text, p_start + 1, p_end))
                    carry.end = carry.pieces[-1][1]
                    carried += 1
                    continue
            else:
                spans.append(carry)
                carry = None
        pairs, open_at = _pairs_in_paragraph(text, scan_from, p_end)
        for open_mark, close_mark in pairs:
            start, end = _strip(text, open_mark + 1, close_mark)
            if start < end:
                spans.append(QuotedSpan(start, end, [(start, end)], True))
        if open_at is not None:
            start, end = _strip(text, open_at + 1, p_end)
            if start < end and text[end - 1] in SENTENCE_END:  # a quoted paragraph that may go on
                carry, carried = QuotedSpan(start, end, [(start, end)], False), 0
            elif start < end:
                spans.append(QuotedSpan(start, end, [(start, end)], False))
    if carry is not None:
        spans.append(carry)
    return [_capped(span) for span in spans]


def _first_closer(text: str, start: int, end: int) -> int | None:
    """The first closing mark in a continuation paragraph (its opening mark is already consumed)."""
    for i, mark in _marks_in(text, start, end):
        if mark in "”»\"":
            return i
        if mark in "“«„":
            return None  # a fresh quote opens before any close: treat the paragraph as one continued piece
    return None


def _capped(span: QuotedSpan) -> QuotedSpan:
    if span.end - span.start <= MAX_QUOTE_CHARS:
        return span
    limit = span.start + MAX_QUOTE_CHARS
    pieces = [(s, min(e, limit)) for s, e in span.pieces if s < limit]
    return QuotedSpan(span.start, pieces[-1][1], pieces, span.closed)
