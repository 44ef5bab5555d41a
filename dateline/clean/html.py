"""HTML pages -> Article.

The steps, in order (each a plain function over the lxml tree):
parse_html -> take_out_figures ->
remove_* cleaning rules -> main text, by an explicit ladder:
  1. trafilatura, in a worker process with `options.extraction_timeout` (it can hang on some pages); it
     starts as soon as the tree is cleaned and runs while this process reads the metadata (from a second
     parse of the page, uncleaned);
  2. our own tree extraction (the article container's paragraphs);
  3. the plain text of <body>.
The rung used goes to `article.provenance["cleaner"]`; a fallback also leaves a note in `article.notes`.
Body blocks then pass through the shared block rules (`clean_body_blocks`).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import re
import time
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

import lxml.html
from lxml import etree

from dateline.clean import selectors
from dateline.clean.article import Article
from dateline.clean.header import parse_dateline
from dateline.clean.metadata import PageMetadata, read_metadata
from dateline.clean.text import clean_body_blocks
from dateline.settings import Options

# An XPath or a selectors.ClassId: an element in, the matching elements out.
Selector = Callable[[etree._Element], Any]
# An element holding this many long paragraphs is article text, whatever its class says.
CONTENT_PARAGRAPHS = 3
LONG_PARAGRAPH_CHARS = 150
# A related-links block is mostly links; an <aside> or "related" box of prose is kept for the extractor to judge.
RELATED_LINK_DENSITY = 0.5
# A <figure> holding more text than this besides its credit (caption included) is content (tables,
# embedded text), not a picture.
MAX_FIGURE_TEXT_CHARS = 600
# Our own extraction accepts a container when its blocks hold at least this much text.
MIN_CONTAINER_CHARS = 250
# Whole-element texts that are page furniture.
FURNITURE_TEXT = re.compile(
    r"^\s*(advertisement|advertising|ad|sponsored|story continues below( this)? advertisement|"
    r"scroll to continue( with content)?|skip advertisement)\s*$", re.I)
# The longest text FURNITURE_TEXT can match ("story continues below this advertisement", with room).
MAX_FURNITURE_CHARS = 60
# A "Read more: <link>" paragraph is short; longer blocks are prose that happens to start that way.
MAX_READ_MORE_CHARS = 250
READ_MORE_TEXT = re.compile(r"^\s*(read more|read also|also read|related|see also|more on this|recommended|"
                            r"you might also like|you may also like|related (stories|articles|posts|content))\b", re.I)
BYLINE_TEXT = re.compile(r"^\s*(?i:by|written by|words by|posted by)\s+[A-Z][^\n]{1,80}$")
BYLINE_PREFIX = re.compile(r"^\s*(?i:by|written by|words by|posted by)\b")
MAX_BYLINE_WORDS = 14
MAX_BYLINE_CHARS = 100  # "By" + a name of at most 80 characters (BYLINE_TEXT)
# Control characters (binary junk in the page) never reach the body.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")
# Text is usable when it has at least this many different words made of letters.
MIN_WORDS = 3
WORD = re.compile(r"[^\W\d_]{2,}[\w'’.,;:!?()-]*")


class _NoText(Exception):
    """A rung of the extraction ladder found nothing usable."""


# ---------------------------------------------------------------- parsing
# Container levels kept. libxml2 builds no deeper than ~2,048 levels even with huge_tree: the text of an article
# inside 20,000 nested <div>s was dropped with them. Wrappers past this depth are left out; their text stays.
MAX_NESTING = 500
_CONTAINER_TAG = re.compile(r"<(/?)(div|span|section|article|main|aside|header|footer|nav|font|center|blockquote|"
                            r"b|i|em|strong|u|small|big|table|tbody|ul|ol|dl|form)\b[^<>]*>", re.IGNORECASE)


def bound_nesting(html: str, limit: int = MAX_NESTING) -> str:
    """``html`` without the container tags (and their closing tags) nested more than ``limit`` deep."""
    if html.count("<") <= limit:
        return html  # too few tags to nest that deep
    depth, dropped, pieces, kept_to = 0, dict[str, int](), [], 0
    for m in _CONTAINER_TAG.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if m.group(0).endswith("/>"):
            continue
        if not closing and depth >= limit:
            dropped[name] = dropped.get(name, 0) + 1
        elif closing and dropped.get(name):
            dropped[name] -= 1
        else:
            depth += -1 if closing else 1
            depth = max(depth, 0)
            continue
        pieces.append(html[kept_to:m.start()])
        kept_to = m.end()
    if not pieces:
        return html
    pieces.append(html[kept_to:])
    return "".join(pieces)


def parse_html(html: str) -> etree._Element | None:
    """A tree for any input, however broken; None when there is nothing to parse."""
    if not html.strip():
        return None
    # Declared encodings conflict with a str input; huge_tree lifts libxml2's depth and size limits.
    html = bound_nesting(re.sub(r"^\s*<\?xml[^>]*>", "", html))
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree


# ---------------------------------------------------------------- cleaning rules (tree in place)
def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _short_text(element: etree._Element, limit: int) -> str | None:
    """``_text(element)`` when it can be at most ``limit`` characters long, else None: the rules that look
    for short furniture ("Advertisement", "By Jane Roe") stop reading a long block early."""
    pieces, letters = [], 0
    for piece in element.itertext():
        letters += sum(map(len, piece.split()))  # non-space characters: a floor on the normalised length
        if letters > limit:
            return None
        pieces.append(piece)
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit else None


def _text_starts(element: etree._Element, pattern: re.Pattern[str], chars: int = 40) -> bool:
    """Whether the start of ``_text(element)`` (its first ``chars`` characters or so) can match ``pattern``:
    a cheap filter before reading a whole block (the exact test still runs on the full text)."""
    pieces, letters = [], 0
    for piece in element.itertext():
        pieces.append(piece)
        letters += sum(map(len, piece.split()))  # indentation and newlines don't count
        if letters >= chars:
            break
    return pattern.match(" ".join("".join(pieces).split())) is not None


def _looks_like_content(element: etree._Element) -> bool:
    """Many long paragraphs inside: the article itself, not a widget (classes can mislead)."""
    long_paragraphs = 0
    for paragraph in element.iter("p"):
        if len(_text(paragraph)) >= LONG_PARAGRAPH_CHARS:
            long_paragraphs += 1
            if long_paragraphs >= CONTENT_PARAGRAPHS:
                return True
    return False


def _link_density(element: etree._Element) -> float:
    """Share of the element's text that sits inside links: near 1 for menus and story lists."""
    total = len(_text(element))
    if total == 0:
        return 1.0
    return sum(len(_text(link)) for link in element.iter("a")) / total


def _drop(element: etree._Element) -> None:
    """Remove an element but keep its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    if isinstance(element, lxml.html.HtmlElement):
        element.drop_tree()
    else:  # comments and processing instructions parsed outside the HTML element classes
        parent.remove(element)


def _remove_matches(tree: etree._Element, xpath: Selector, kind: str, removed: list[dict[str, Any]],
                    record: bool = True, min_link_density: float = 0.0) -> None:
    for element in xpath(tree):
        if element.getparent() is None or element.tag in ("html", "body") or _looks_like_content(element):
            continue
        if min_link_density and _link_density(element) < min_link_density:
            continue
        text = _text(element)
        if record and text:
            removed.append({"kind": kind, "text": text[:300]})
        _drop(element)


def remove_never_text(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Scripts, styles, embeds and form controls: never text, never recorded (and never executed)."""
    for element in selectors.NEVER_TEXT(tree):
        if element.getparent() is not None:
            _drop(element)
    for element in selectors.FORM_CONTROLS(tree):
        if element.getparent() is not None and not _looks_like_content(element):
            _drop(element)


def remove_ads(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Ad slots by class/id, and elements whose whole text is "Advertisement"."""
    _remove_matches(tree, selectors.AD_ELEMENTS, "ad", removed)
    for element in tree.iter("div", "p", "span", "aside", "section"):
        if element.getparent() is None or len(element) > 2:
            continue
        text = _short_text(element, MAX_FURNITURE_CHARS)
        if text and FURNITURE_TEXT.match(text):
            removed.append({"kind": "ad", "text": text})
            _drop(element)


def remove_share_prompts(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Share bars and social buttons."""
    _remove_matches(tree, selectors.SHARE_ELEMENTS, "share", removed)


def remove_newsletter_prompts(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Newsletter sign-up boxes, subscribe prompts and paywall notices."""
    _remove_matches(tree, selectors.NEWSLETTER_ELEMENTS, "newsletter", removed)


def remove_related_links(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Related/recommended blocks, and "Read more: <link>" paragraphs inside the story."""
    _remove_matches(tree, selectors.RELATED_ELEMENTS, "related", removed, min_link_density=RELATED_LINK_DENSITY)
    for element in list(tree.iter("p", "div", "li", "h3", "h4", "strong")):
        if element.getparent() is None or not _text_starts(element, READ_MORE_TEXT):
            continue
        text = _short_text(element, MAX_READ_MORE_CHARS)
        if text and READ_MORE_TEXT.match(text) and element.find(".//a") is not None:
            removed.append({"kind": "related", "text": text})
            _drop(element)


def remove_bylines(tree: etree._Element, removed: list[dict[str, Any]]) -> None:
    """Byline/date furniture blocks and short "By Jane Roe" lines (the byline is already read as metadata)."""
    _remove_matches(tree, selectors.BYLINE_ELEMENTS, "byline", removed)
    for element in list(tree.iter("p", "div", "span")):
        if element.getparent() is None or len(element) > 3 or not _text_starts(element, BYLINE_PREFIX):
            continue
        text = _short_text(element, MAX_BYLINE_CHARS)
        if text and BYLINE_TEXT.match(text) and len(text.split()) <= MAX_BYLINE_WORDS:
            removed.append({"kind": "byline", "text": text})
            _drop(element)


def _first_text(element: etree._Element, xpath: Selector) -> str | None:
    for found in xpath(element):
        text = _text(found)
        if text:
            return text
    return None


def take_out_figures(tree: etree._Element, removed: list[dict[str, Any]], media: list[dict[str, Any]]) -> None:
    """<figure>s, captions, credits and images leave the body; they go to media (and captions/credits to removed)."""
    for figure in selectors.FIGURES(tree):
        if figure.getparent() is None:
            continue
        credit = _first_text(figure, selectors.CREDIT)
        if len(_text(figure)) - len(credit or "") > MAX_FIGURE_TEXT_CHARS:
            continue
        for found in selectors.CREDIT(figure):
            _drop(found)
        caption = _first_text(figure, selectors.FIGCAPTION)
        if caption and not credit:
            caption, credit = split_credit(caption)
        image = figure.find(".//img")
        alt = (image.get("alt") or "").strip() or None if image is not None else None
        _add_media(alt, caption, credit, removed, media)
        _drop(figure)
    for element in selectors.LOOSE_CAPTIONS(tree):
        if element.getparent() is None or _looks_like_content(element):
            continue
        text = _text(element)
        if text:
            is_credit = "credit" in (element.get("class", "") + element.get("id", "")).lower()
            _add_media(None, None if is_credit else text, text if is_credit else None, removed, media)
        _drop(element)
    for image in selectors.IMAGES(tree):
        alt = (image.get("alt") or "").strip()
        if alt and image.getparent() is not None:
            _add_media(alt, None, None, removed, media)
            _drop(image)


# A credit written at the end of a caption: "… on Monday. Photo credit: Saleem Gandapur", "… (Photo: AP)".
TRAILING_CREDIT = re.compile(r"\s*\(?\b(?:Photo(?:graph)?\s+credit|Photo|Credit|Image)\s*:\s*([^()]{2,80})\)?\s*$", re.I)


def split_credit(caption: str) -> tuple[str | None, str | None]:
    """(caption, credit) when the caption ends with a credit; else (caption, None)."""
    m = TRAILING_CREDIT.search(caption)
    if not m:
        return caption, None
    return caption[: m.start()].strip() or None, m.group(1).strip()


def _add_media(alt: str | None, caption: str | None, credit: str | None, removed: list[dict[str, Any]],
               media: list[dict[str, Any]]) -> None:
    if not (alt or caption or credit):
        return
    media.append({"alt_text": alt, "caption": caption, "credit": credit})
    if caption:
        removed.append({"kind": "caption", "text": caption})
    if credit:
        removed.append({"kind": "credit", "text": credit})


CLEANING_RULES: tuple[Callable[[etree._Element, list[dict[str, Any]]], None], ...] = (
    remove_never_text, remove_ads, remove_share_prompts, remove_newsletter_prompts, remove_related_links,
    remove_bylines,
)


def clean_tree(tree: etree._Element) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Apply every cleaning rule in place; (removed, media)."""
    removed: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    remove_never_text(tree, removed)
    take_out_figures(tree, removed, media)
    for rule in CLEANING_RULES[1:]:
        rule(tree, removed)
    return removed, media


# ---------------------------------------------------------------- rung 1: trafilatura in a worker
_POOL: Pool | None = None


def _warm_worker() -> bool:
    import trafilatura  # noqa: F401  (imported once per worker, before the first timed call)

    return True


def _worker_pool() -> Pool:
    """One worker process, created on first use and reused; replaced after a timeout."""
    global _POOL
    if _POOL is None:
        # fork: the worker starts at once and never re-imports the caller's __main__ (spawn would); it only
        # runs trafilatura on a string, so locks held by other parent threads are never touched.
        _POOL = multiprocessing.get_context("fork").Pool(processes=1, maxtasksperchild=500)
        _POOL.apply(_warm_worker)
    return _POOL


def _discard_worker_pool() -> None:
    """A hung trafilatura cannot be interrupted: terminate its process; the next call starts a new one."""
    global _POOL
    if _POOL is not None:
        _POOL.terminate()
        _POOL = None


def _forget_worker_pool() -> None:
    """In a forked child (a --workers process) the parent's pool is not ours to use: start our own."""
    global _POOL
    _POOL = None


# The worker is closed before the interpreter tears its modules down (Pool.__del__ at exit prints a traceback).
atexit.register(_discard_worker_pool)
os.register_at_fork(after_in_child=_forget_worker_pool)


def trafilatura_blocks(html: str) -> list[str]:
    """Runs in the worker: trafilatura's main text of an already cleaned page, one block per line."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, output_format="txt", deduplicate=False) or ""
    return [line.strip() for line in text.split("\n") if line.strip()]


def timed_trafilatura_blocks(html: str) -> tuple[list[str], float]:
    """Runs in the worker: (``trafilatura_blocks(html)``, seconds it took), so that an answer which is
    collected late (the caller was busy with the metadata) still counts only if it came within the limit."""
    start = time.monotonic()
    blocks = trafilatura_blocks(html)
    return blocks, time.monotonic() - start


class PendingTrafilatura:
    """trafilatura's answer for one page, being computed in the worker while this process does other work
    (the metadata pass); ``blocks()`` waits for it until ``timeout`` seconds after the start."""

    def __init__(self, cleaned_html: str, timeout: float) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.result: AsyncResult[tuple[list[str], float]] | None = None
        self.error: Exception | None = None
        try:
            self.result = _worker_pool().apply_async(timed_trafilatura_blocks, (cleaned_html,))
        except Exception as exc:  # a worker that cannot start means "use the next rung", as a failure does
            self.error = exc

    def blocks(self) -> list[str]:
        try:
            if self.result is None:
                raise self.error or RuntimeError("no worker")
            blocks, seconds = self.result.get(timeout=max(self.deadline - time.monotonic(), 0.0))
        except multiprocessing.TimeoutError as exc:
            _discard_worker_pool()
            raise _NoText(f"trafilatura timed out after {self.timeout:g} s") from exc
        except Exception as exc:  # the worker's error comes back here; any of them means "use the next rung"
            raise _NoText(f"trafilatura failed: {type(exc).__name__}: {exc}"[:200]) from exc
        if seconds > self.timeout:
            raise _NoText(f"trafilatura timed out after {self.timeout:g} s (took {seconds:.2f} s)")
        if not blocks:
            raise _NoText("trafilatura found no main text")
        return blocks


def extract_with_trafilatura(cleaned_html: str, timeout: float) -> list[str]:
    return PendingTrafilatura(cleaned_html, timeout).blocks()


# ---------------------------------------------------------------- rung 2: our own tree extraction
def _leaf_blocks(container: etree._Element) -> list[str]:
    """Text of paragraph-like elements that contain no other paragraph-like element."""
    blocks = []
    for element in selectors.TEXT_BLOCKS(container):
        if any(True for _ in selectors.TEXT_BLOCKS(element)):
            continue
        text = _text(element)
        if text:
            blocks.append(text)
    return blocks


def extract_from_tree(tree: etree._Element) -> list[str]:
    """The first article-like container (by the ordered selectors) with enough paragraph text."""
    for xpath in selectors.ARTICLE_CONTAINERS:
        candidates = [(_leaf_blocks(container)) for container in xpath(tree)[:20]]
        best = max(candidates, key=lambda blocks: sum(map(len, blocks)), default=[])
        if sum(map(len, best)) >= MIN_CONTAINER_CHARS:
            return best
    raise _NoText("no article container with enough text")


# ---------------------------------------------------------------- rung 3: plain text
def extract_plain_text(tree: etree._Element) -> list[str]:
    body = tree.find(".//body")
    root = body if body is not None else tree
    lines = (" ".join(line.split()) for line in "\n".join(root.itertext()).split("\n"))
    blocks = [line for line in lines if line]
    if not blocks:
        raise _NoText("the page has no text")
    return blocks


# ---------------------------------------------------------------- the whole path
def _serialize(tree: etree._Element) -> str:
    return lxml.html.tostring(tree, encoding="unicode")


def extract_body_blocks(tree: etree._Element, options: Options,
                        pending: PendingTrafilatura | None = None) -> tuple[list[str], str, list[str]]:
    """(blocks, rung name, notes) by the ladder trafilatura -> own tree extraction -> plain text. ``pending``:
    trafilatura already started on this (cleaned) tree."""
    notes: list[str] = []
    if pending is None:
        pending = PendingTrafilatura(_serialize(tree), options.extraction_timeout)
    rungs: tuple[tuple[str, Callable[[], list[str]]], ...] = (
        ("trafilatura", pending.blocks),
        ("tree", lambda: extract_from_tree(tree)),
        ("plain-text", lambda: extract_plain_text(tree)),
    )
    for name, rung in rungs:
        try:
            blocks = _usable_blocks(rung())
            if not blocks:
                raise _NoText("no words in the text")
            return blocks, name, notes
        except _NoText as exc:
            notes.append(f"extraction: {name} gave nothing ({exc}); falling back")
    from dateline.clean import CleanError

    raise CleanError("no usable article text in this HTML page")


def _usable_blocks(blocks: list[str]) -> list[str]:
    """Blocks without control characters; none at all when the text has fewer than MIN_WORDS different words."""
    blocks = [" ".join(CONTROL_CHARS.sub(" ", block).split()) for block in blocks]
    blocks = [block for block in blocks if block]
    words = {token for block in blocks for token in block.split() if WORD.fullmatch(token)}
    return blocks if len(words) >= MIN_WORDS else []


def _drop_title_block(blocks: list[str], title: str | None) -> list[str]:
    """trafilatura sometimes repeats the headline as the first block."""
    if blocks and title and " ".join(blocks[0].split()).casefold() == " ".join(title.split()).casefold():
        return blocks[1:]
    return blocks


def clean_html(html: str, uri: str, meta: dict[str, Any], options: Options) -> Article:
    from dateline.clean import CleanError

    tree = parse_html(html)
    if tree is None:
        raise CleanError("no usable article text (the HTML page is empty or cannot be parsed)")
    # Metadata is read from the page as it came (a second parse: cleaning removes bylines and dates), while
    # the worker runs trafilatura on the cleaned page: the two overlap instead of adding up. Not a deepcopy:
    # libxml2 can leave a second <html> root after the first (dev/0310 has its <h1> there), which copying
    # the root element loses.
    uncleaned = parse_html(html)
    assert uncleaned is not None  # the same input parsed a moment ago
    removed, media = clean_tree(tree)
    pending = PendingTrafilatura(_serialize(tree), options.extraction_timeout)
    page: PageMetadata = read_metadata(uncleaned, html, url=meta.get("url"))
    blocks, cleaner, notes = extract_body_blocks(tree, options, pending)
    blocks = _drop_title_block(blocks, page.title)
    kept, text_removed, text_media = clean_body_blocks(blocks)
    if not kept:
        raise CleanError("no usable article text (everything on the page was furniture)")
    return Article(
        uri=uri, format="html", body="\n\n".join(kept),
        title=page.title or meta.get("title"), byline=page.byline, publisher=page.publisher,
        published=page.published or meta.get("published"),
        published_precision="day" if (page.published or meta.get("published")) else None,
        dateline=parse_dateline(kept[0]), removed=removed + text_removed, media=media + text_media,
        url=meta.get("url") or page.url, notes=notes, provenance={"cleaner": cleaner},
    )
