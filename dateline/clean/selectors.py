"""Selectors for the HTML path (data, plus one small matcher). Lists are ordered: earlier entries win.

Written for dateline from general knowledge of how news and blog pages mark up their furniture
(class/id naming conventions such as "share", "newsletter", "related", "byline", "caption").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.etree import XPath


class ClassId:
    """Elements whose class or id contains one of ``words`` (case-insensitive), among ``tags`` (any tag when
    empty), plus every element whose tag is in ``always``; a list in document order, called like an XPath.

    ``scope="document"`` searches the whole document (XPath ``//``), ``"descendants"`` below the node given
    (``.//``). Why not XPath: lowercasing class and id with translate() for every element and every word made
    these selectors ~60 % of the HTML path's time; here each element's class and id are lowercased once.
    """

    def __init__(self, *words: str, tags: Iterable[str] = (), always: Iterable[str] = (),
                 scope: str = "document") -> None:
        self.words, self.tags, self.always = words, frozenset(tags), frozenset(always)
        # One regex over the lowercased key instead of a Python loop over the words (the same substring test).
        self._any_word = re.compile("|".join(map(re.escape, words))) if words else None
        # The cheap part stays in XPath (tag and "has a class or id"); only those candidates reach Python.
        # (XPath rather than node.iter(): libxml2 can leave nodes after </body> that sibling iteration skips.)
        has_key = " or ".join(["@class", "@id", *(f"self::{tag}" for tag in sorted(self.always))])
        of_tag = " or ".join(f"self::{tag}" for tag in sorted(self.tags | self.always))
        predicate = f"[({of_tag}) and ({has_key})]" if self.tags else f"[{has_key}]"
        self.candidates = XPath((".//*" if scope == "descendants" else "//*") + predicate)

    def __call__(self, node: etree._Element) -> list[etree._Element]:
        return [element for element in self.candidates(node) if self._matches(element)]

    def _matches(self, element: etree._Element) -> bool:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions, entities
            return False
        if tag in self.always:
            return True
        if self.tags and tag not in self.tags:
            return False
        attrib = element.attrib
        klass, ident = attrib.get("class"), attrib.get("id")
        if not klass and not ident:
            return False
        key = f" {klass or ''} {ident or ''} ".lower()
        return self._any_word is not None and self._any_word.search(key) is not None


# Elements never read as text: scripts, styles, embedded objects.
NEVER_TEXT = XPath("//script | //style | //noscript | //template | //iframe | //object | //embed | //svg | //canvas")
# Form controls: furniture, unless a whole page sits inside one <form> (ASP.NET pages do).
FORM_CONTROLS = XPath("//form | //button | //select | //input | //textarea")

# Advertising slots.
AD_ELEMENTS = ClassId(
    ' ad ', ' ads ', 'advert', 'ad-slot', 'adslot', 'ad-container', 'ad-wrapper', 'ad-unit', 'adunit',
    'dfp', 'gpt-ad', 'google-ad', 'sponsor', 'taboola', 'outbrain', 'promo-box', 'native-ad', 'adsbygoogle',
    tags=("div", "aside", "section", "span", "p", "ins"))

# Share bars, social buttons, "follow us".
SHARE_ELEMENTS = ClassId(
    'share', 'social', 'sharing', 'addthis', 'sharethis', 'follow-us', 'print-button',
    tags=("div", "ul", "aside", "section", "nav", "span"))

# Newsletter / subscribe / paywall prompts.
NEWSLETTER_ELEMENTS = ClassId(
    'newsletter', 'subscribe', 'subscription', 'signup', 'sign-up', 'paywall', 'optin', 'opt-in',
    'mailchimp', 'registration-wall', tags=("div", "aside", "section", "p"))

# "Read more", related stories, recommended links, tag clouds, comments.
RELATED_ELEMENTS = ClassId(
    'related', 'read-more', 'readmore', 'recommended', 'more-stories', 'most-popular', 'mostpopular',
    'trending', 'you-may-like', 'also-read', 'further-reading', 'comments', 'comment-list', 'disqus',
    'breadcrumb', 'pagination', 'tags-list', 'post-tags', 'author-box', 'author-bio', 'authorbox',
    tags=("div", "aside", "section", "ul", "nav"), always=("aside", "nav", "footer"))

# In-body bylines and datelines printed as page furniture (the byline is read as metadata first).
BYLINE_ELEMENTS = ClassId(
    'byline', 'by-line', 'author-name', 'post-author', 'article-author', 'meta-author', 'posted-by',
    'entry-meta', 'post-meta', 'article-meta', 'dateline', 'timestamp', 'publish-date', 'published-date',
    'post-date', 'entry-date', tags=("div", "p", "span", "address"))

# Figures and their parts.
# (WordPress wraps an image and its caption in <div class="wp-caption">: a figure by another name.)
FIGURES = XPath("//figure | //*[@role='figure'] | //picture | //div[contains(concat(' ', @class, ' '), ' wp-caption ')]")
FIGCAPTION = ClassId('caption', 'wp-caption-text', 'image-desc', 'img-desc', always=("figcaption",),
                     scope="descendants")
CREDIT = ClassId('credit', 'copyright', 'photographer', 'image-source', 'photo-source', scope="descendants")
IMAGES = XPath("//img")
# Captions and credits that sit outside a <figure>.
LOOSE_CAPTIONS = ClassId(
    'caption', 'wp-caption-text', 'image-credit', 'photo-credit', 'img-credit', 'media-credit',
    tags=("div", "p", "span", "small"))

# Where the article usually is, best first (used by our own extraction when trafilatura is unavailable).
ARTICLE_CONTAINERS: list[XPath | ClassId] = [
    XPath("//*[@itemprop='articleBody']"),
    ClassId('article-body', 'articlebody', 'article__body', 'story-body', 'entry-content', 'post-content',
            'article-content', 'story-content', 'post-body', 'main-content', tags=("div", "section")),
    XPath("//article"),
    XPath("//main"),
    XPath("//*[@role='main']"),
    XPath("//body"),
]

# Text blocks inside a container, in document order.
TEXT_BLOCKS = XPath(".//*[self::p or self::h2 or self::h3 or self::h4 or self::li or self::blockquote or self::pre]")

# Metadata.
META_TITLE = [
    XPath("//meta[@property='og:title']/@content"),
    XPath("//meta[@name='twitter:title']/@content"),
]
H1 = XPath("//h1")
HTML_TITLE = XPath("//head/title | //title")
META_SITE_NAME = [
    XPath("//meta[@property='og:site_name']/@content"),
    XPath("//meta[@name='application-name']/@content"),
    XPath("//meta[@name='publisher']/@content"),
]
META_AUTHOR = [
    XPath("//meta[@name='author']/@content"),
    XPath("//meta[@property='article:author']/@content"),
    XPath("//meta[@name='parsely-author']/@content"),
    XPath("//meta[@name='sailthru.author']/@content"),
    XPath("//meta[@name='dc.creator' or @name='DC.creator']/@content"),
    XPath("//meta[@name='twitter:creator']/@content"),
]
REL_AUTHOR: list[XPath | ClassId] = [
    XPath("//*[@itemprop='author']//*[@itemprop='name']"),
    XPath("//a[@rel='author']"),
    XPath("//*[@itemprop='author']"),
    ClassId('author-name', 'authorname', 'byline__name', 'byline-name', 'author__name',
            tags=("a", "span", "div", "p")),
    ClassId('byline', 'author', tags=("a", "span", "div", "p", "address")),
]
JSON_LD = XPath("//script[@type='application/ld+json']")
META_PUBLISHED = [
    XPath("//meta[@property='article:published_time']/@content"),
    XPath("//meta[@itemprop='datePublished']/@content"),
    XPath("//*[@itemprop='datePublished']/@datetime"),
]
