"""XPath selectors for the HTML path (data only, no logic). Lists are ordered: earlier entries win.

Written for dateline from general knowledge of how news and blog pages mark up their furniture
(class/id naming conventions such as "share", "newsletter", "related", "byline", "caption").
"""

from __future__ import annotations

from lxml.etree import XPath


def _has_token(*words: str) -> str:
    """An XPath predicate: the class or id attribute contains one of these words (case-insensitive)."""
    attr = "translate(concat(' ', @class, ' ', @id, ' '), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    return " or ".join(f"contains({attr}, '{word}')" for word in words)


# Elements never read as text: scripts, styles, embedded objects.
NEVER_TEXT = XPath("//script | //style | //noscript | //template | //iframe | //object | //embed | //svg | //canvas")
# Form controls: furniture, unless a whole page sits inside one <form> (ASP.NET pages do).
FORM_CONTROLS = XPath("//form | //button | //select | //input | //textarea")

# Advertising slots.
AD_ELEMENTS = XPath(
    "//*[self::div or self::aside or self::section or self::span or self::p or self::ins][" + _has_token(
        ' ad ', ' ads ', 'advert', 'ad-slot', 'adslot', 'ad-container', 'ad-wrapper', 'ad-unit', 'adunit',
        'dfp', 'gpt-ad', 'google-ad', 'sponsor', 'taboola', 'outbrain', 'promo-box', 'native-ad') + "]"
    " | //ins[contains(@class, 'adsbygoogle')]"
)

# Share bars, social buttons, "follow us".
SHARE_ELEMENTS = XPath(
    "//*[self::div or self::ul or self::aside or self::section or self::nav or self::span][" + _has_token(
        'share', 'social', 'sharing', 'addthis', 'sharethis', 'follow-us', 'print-button') + "]"
)

# Newsletter / subscribe / paywall prompts.
NEWSLETTER_ELEMENTS = XPath(
    "//*[self::div or self::aside or self::section or self::p][" + _has_token(
        'newsletter', 'subscribe', 'subscription', 'signup', 'sign-up', 'paywall', 'optin', 'opt-in',
        'mailchimp', 'registration-wall') + "]"
)

# "Read more", related stories, recommended links, tag clouds, comments.
RELATED_ELEMENTS = XPath(
    "//*[self::div or self::aside or self::section or self::ul or self::nav][" + _has_token(
        'related', 'read-more', 'readmore', 'recommended', 'more-stories', 'most-popular', 'mostpopular',
        'trending', 'you-may-like', 'also-read', 'further-reading', 'comments', 'comment-list', 'disqus',
        'breadcrumb', 'pagination', 'tags-list', 'post-tags', 'author-box', 'author-bio', 'authorbox') + "]"
    " | //aside | //nav | //footer"
)

# In-body bylines and datelines printed as page furniture (the byline is read as metadata first).
BYLINE_ELEMENTS = XPath(
    "//*[self::div or self::p or self::span or self::address][" + _has_token(
        'byline', 'by-line', 'author-name', 'post-author', 'article-author', 'meta-author', 'posted-by',
        'entry-meta', 'post-meta', 'article-meta', 'dateline', 'timestamp', 'publish-date', 'published-date',
        'post-date', 'entry-date') + "]"
)

# Figures and their parts.
# (WordPress wraps an image and its caption in <div class="wp-caption">: a figure by another name.)
FIGURES = XPath("//figure | //*[@role='figure'] | //picture | //div[contains(concat(' ', @class, ' '), ' wp-caption ')]")
FIGCAPTION = XPath(
    ".//figcaption | .//*[" + _has_token('caption', 'wp-caption-text', 'image-desc', 'img-desc') + "]"
)
CREDIT = XPath(".//*[" + _has_token('credit', 'copyright', 'photographer', 'image-source', 'photo-source') + "]")
IMAGES = XPath("//img")
# Captions and credits that sit outside a <figure>.
LOOSE_CAPTIONS = XPath(
    "//*[self::div or self::p or self::span or self::small][" + _has_token(
        'caption', 'wp-caption-text', 'image-credit', 'photo-credit', 'img-credit', 'media-credit') + "]"
)

# Where the article usually is, best first (used by our own extraction when trafilatura is unavailable).
ARTICLE_CONTAINERS = [
    XPath("//*[@itemprop='articleBody']"),
    XPath("//*[self::div or self::section][" + _has_token(
        'article-body', 'articlebody', 'article__body', 'story-body', 'entry-content', 'post-content',
        'article-content', 'story-content', 'post-body', 'main-content') + "]"),
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
REL_AUTHOR = [
    XPath("//*[@itemprop='author']//*[@itemprop='name']"),
    XPath("//a[@rel='author']"),
    XPath("//*[@itemprop='author']"),
    XPath("//*[self::a or self::span or self::div or self::p][" + _has_token(
        'author-name', 'authorname', 'byline__name', 'byline-name', 'author__name') + "]"),
    XPath("//*[self::a or self::span or self::div or self::p or self::address][" + _has_token(
        'byline', 'author') + "]"),
]
JSON_LD = XPath("//script[@type='application/ld+json']")
META_PUBLISHED = [
    XPath("//meta[@property='article:published_time']/@content"),
    XPath("//meta[@itemprop='datePublished']/@content"),
    XPath("//*[@itemprop='datePublished']/@datetime"),
]
