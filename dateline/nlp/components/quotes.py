"""dateline_quotes: who said what — direct and reported speech, speakers, anonymous sources, denials.

Reads the parse and ``doc._.dateline_actors``; writes ``doc._.dateline_quotes`` (record.md shape).
The steps, in order:
1. quotation marks are paired within paragraphs (a paragraph left open continues into the next one only
   when that one opens with a mark — the newswire convention), capped in length;
2. cue words from the lexicon (``patterns/quotes/cues.tsv``) give reported speech over the parse: the
   content clause, the cue and the speaker (the cue's subject, or "according to X");
3. each quoted span is then a direct quote of the cue it hangs on, a fragment inside reported speech
   (the reported quote becomes ``mixed``), a continuation of the previous speaker (a whole sentence with
   no cue) or a scare quote (ignored);
4. speakers are resolved — actors first, then pronouns and definite descriptions to earlier speakers —
   and unnamed sources get ``anonymous``, a description and the reason the text gives, even when the
   reason comes in a later sentence;
5. denials are flagged and linked to the quotes they answer.
"""

from __future__ import annotations

import bisect
import csv
import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.nlp.spans import MentionIndex

log = logging.getLogger(__name__)

PATTERNS = Path(__file__).resolve().parents[1] / "patterns" / "quotes"

# Opening mark -> the closing marks that end it. A straight quote closes itself.
OPENERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”"}  # a curly quote closed by a straight one happens
MARKS = frozenset("“”\"«»„")
SENTENCE_END = frozenset(".?!…:;—-")
MAX_QUOTE_CHARS = 3000      # no quote is longer, however the marks fall
MAX_CONTINUED_PARAGRAPHS = 6
MIN_SENTENCE_WORDS = 3      # a quoted span with no cue must be at least a short sentence to count as speech
CONTINUATION_PARAGRAPHS = 2  # a cue-less quote continues the previous speaker only this close to them
ANSWER_WINDOW = 200         # a denial is compared with at most this many other quotes
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "—", "–", "\"", "“", "”"})
SPEAKER_BREAK_DEPS = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")
MAIN_CLAUSE_DEPS = ("ROOT", "conj", "advcl", "parataxis")  # a cue heading its own clause
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
PERSONAL_PRONOUNS = {"he": "sing", "she": "sing", "him": "sing", "her": "sing", "they": "plur", "them": "plur",
                     "it": "thing", "we": "plur", "i": "sing", "you": "sing"}
# A sentence without one of these words holds no anonymity marker: the regexes are not tried on it.
ANONYMITY_HINTS = ("anonym", "authori", "named", "identified")
DETERMINERS_OF_DESCRIPTIONS = frozenset({"a", "an", "the", "two", "three", "four", "several", "some", "many",
                                         "one", "his", "her", "their", "its", "other", "another"})


# ---------------------------------------------------------------- lexicons (data, loaded once per process)


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, frozenset[str]]        # lemma -> flags
    nouns: dict[str, frozenset[str]]
    anonymity_markers: tuple[re.Pattern[str], ...]
    anonymity_reasons: tuple[re.Pattern[str], ...]
    person_nouns: frozenset[str]
    institution_nouns: frozenset[str]


def _rows(path: Path) -> Iterator[list[str]]:
    """Data rows of a tab-separated file whose comment lines start with '#' and whose first row is a header."""
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        yield from (row for row in reader if row)


@functools.cache
def load_lexicon(folder: Path = PATTERNS) -> Lexicon:
    verbs: dict[str, frozenset[str]] = {}
    nouns: dict[str, frozenset[str]] = {}
    for lemma, pos, flags in _rows(folder / "cues.tsv"):
        flag_set = frozenset() if flags == "-" else frozenset(flags.split(","))
        (nouns if pos == "noun" else verbs)[lemma] = flag_set
    markers: list[re.Pattern[str]] = []
    reasons: list[re.Pattern[str]] = []
    for kind, regex in _rows(folder / "anonymity.tsv"):
        (markers if kind == "marker" else reasons).append(re.compile(regex, re.IGNORECASE))
    classes: dict[str, set[str]] = {"person": set(), "institution": set()}
    for lemma, noun_class in _rows(folder / "source_nouns.tsv"):
        classes[noun_class].add(lemma)
    return Lexicon(verbs, nouns, tuple(markers), tuple(reasons),
                   frozenset(classes["person"]), frozenset(classes["institution"]))


# ---------------------------------------------------------------- working values


@dataclass(slots=True)
class QuotedSpan:
    """Text between quotation marks (content offsets exclude the marks); ``pieces`` per paragraph."""
    start: int
    end: int
    pieces: list[tuple[int, int]]
    closed: bool


@dataclass(slots=True)
class Speaker:
    start: int
    end: int
    head: Token
    text: str
    description: str | None = None
    entity: str | None = None
    name: str | None = None
    anonymous: bool = False
    anonymity_reason: str | None = None
    phrase: tuple[int, int] = (0, 0)  # the whole noun phrase, appositives and clauses included
    key: str = ""                 # speakers with the same key are the same source (pronouns, "the doctor")

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "entity": self.entity,
                "name": self.name or self.text, "anonymous": self.anonymous,
                "anonymity_reason": self.anonymity_reason, "description": self.description,
                "phrase": {"start": self.phrase[0], "end": self.phrase[1]}}


@dataclass(slots=True)
class Attribution:
    """One quote being built: content span, its cue (or None), the speaker's words."""
    kind: str
    start: int
    end: int
    cue: Span | None = None
    cue_lemma: str | None = None
    speaker_head: Token | None = None
    speaker: Speaker | None = None
    denial: bool = False
    belief: bool = False
    pieces: list[tuple[int, int]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    id: str = ""


# ---------------------------------------------------------------- 1. quotation marks


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
    for i, mark in _marks_in(text, start, end):
        if open_at is None:
            if mark in OPENERS:
                open_at = i
        elif mark in OPENERS[text[open_at]]:
            pairs.append((open_at, i))
            open_at = None
        elif mark == text[open_at]:
            open_at = i  # the same opener again: the first one was never closed; start over from here
    return pairs, open_at


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    return start < end and text[start] in OPENERS


def find_quoted_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotedSpan]:
    """Quoted spans in reading order. A mark left open at a paragraph's end continues into the next
    paragraph only if that paragraph opens with a mark; otherwise the quote stops at its paragraph's end."""
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


# ---------------------------------------------------------------- 2. reported speech over the parse


def _cue_flags(token: Token, lexicon: Lexicon) -> frozenset[str] | None:
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        return lexicon.verbs.get(token.lemma_.lower())
    if token.pos_ == "NOUN":
        return lexicon.nouns.get(token.lemma_.lower())
    return None


def _is_according_to(token: Token) -> Token | None:
    """The object of "according to" when ``token`` is "according", else None."""
    if token.lower_ != "according":
        return None
    for child in token.children:
        if child.lower_ == "to":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _edge_trimmed(tokens: list[Token]) -> list[Token]:
    """Drop punctuation, spaces, conjunctions and the complementizer at both edges of a run."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ in ("mark", "cc")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "?!" or tokens[-1].is_space
                      or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _longest_run(tokens: Iterable[Token], excluded: set[int]) -> list[Token]:
    """The longest contiguous run of ``tokens`` (sorted) whose indices are not excluded."""
    best: list[Token] = []
    run: list[Token] = []
    previous = None
    for token in sorted(tokens, key=lambda t: t.i):
        if token.i in excluded or (previous is not None and token.i != previous + 1):
            best = max(best, run, key=len)
            run = []
        if token.i not in excluded:
            run.append(token)
        previous = token.i
    return max(best, run, key=len)


def _subject_of(verb: Token, lexicon: Lexicon) -> Token | None:
    """The cue verb's subject; participles and conjuncts ("..., saying", "and said") borrow their head's,
    and a participle inside reported content ("He said X was firm, saying ...") borrows the reporter's."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS and child.pos_ != "SPACE":
                if child.dep_ != "nsubj":
                    return _agent_of(current)
                if child.tag_ in ("WP", "WDT") and current.dep_ == "relcl":
                    return current.head  # "Chris Cox, who runs the lobby, said": the noun the clause hangs on
                return child
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head is not current:
            head = current.head
            if current.dep_ == "advcl" and head.dep_ == "ccomp" and _cue_flags(head.head, lexicon) is not None:
                head = head.head
            current = head
        else:
            return _agent_of(current)
    return None


def _agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _verb_content(verb: Token, flags: frozenset[str]) -> list[Token]:
    """What the cue verb reports: its clausal complement, or the clause it interrupts ("X, he said")."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ != "SPACE":
            return _edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
    if "object" in flags and verb.dep_ in MAIN_CLAUSE_DEPS:
        excluded = {t.i for c in verb.children if c.dep_ in SUBJECT_DEPS + ("advcl",) for t in c.subtree}
        right = [t for t in verb.subtree if t.i > verb.i]
        return _edge_trimmed(_longest_run(right, excluded | {verb.i}))
    has_subject = any(c.dep_ == "nsubj" for c in verb.children)
    if verb.dep_ == "advcl" and has_subject and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        # "As the Post observed, Republicans now control ...": the clause the cue is attached to
        return _edge_trimmed(_longest_run(verb.head.subtree, {t.i for t in verb.subtree}))
    after_comma = verb.left_edge.i > 0 and verb.doc[verb.left_edge.i - 1].text in (",", "”", '"')
    if verb.dep_ in ("parataxis", "ccomp") and has_subject and after_comma and verb.i > verb.head.i:
        # "Several were transferred ..., he said": the content is the head clause without the cue's words
        excluded = {t.i for t in verb.subtree}
        return _edge_trimmed(_longest_run(verb.head.subtree, excluded))
    # A cue in a relative clause ("officers, who asked for the names") reports nothing outside that clause.
    before_comma = _clause_before_comma(verb) if has_subject and verb.dep_ != "relcl" else []
    return _that_clause_on_object(verb) or before_comma or _complement_phrase(verb)


def _complement_phrase(verb: Token) -> list[Token]:
    """"pledged to oppose X", "announced his resignation", "denied the allegations": with no clause, the
    infinitive or the object is what is said (an addressee — "told Reuters", "asked him" — is not).
    Only for a cue heading its clause: "the pylons showed damage" inside reported speech is no attribution."""
    if verb.dep_ not in MAIN_CLAUSE_DEPS or verb.tag_ == "VBN":  # "Asked to describe it, he said": no content
        return []
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            return _edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
    for child in verb.children:
        addressee = child.pos_ in ("PRON", "PROPN") or child.ent_type_ in NAMED_LABELS
        if child.dep_ == "dobj" and not addressee and child.i > verb.i:
            return _edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
    return []


def _that_clause_on_object(verb: Token) -> list[Token]:
    """"told every forum that X, Y and Z": the small model often hangs the that-clause on the object as a
    relative clause and the clause's coordinated predicates on the cue; put them back together."""
    for obj in verb.children:
        if obj.dep_ != "dobj":
            continue
        for clause in obj.children:
            if clause.dep_ == "relcl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
                tokens = list(clause.subtree)
                for conj in verb.children:
                    if conj.dep_ == "conj" and conj.i > clause.i and not any(c.dep_ in SUBJECT_DEPS
                                                                             for c in conj.children):
                        tokens += list(conj.subtree)
                tokens.sort(key=lambda t: t.i)
                return _edge_trimmed(list(verb.doc[tokens[0].i:tokens[-1].i + 1]))
    return []


def _clause_before_comma(verb: Token) -> list[Token]:
    """"militants preach jihad, the relative said": when the parse gives no complement, the words before
    the comma that opens the speaker's part of the sentence (clipped to the paragraph) are the content."""
    sent = verb.sent
    first = verb.i
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            first = min(first, child.left_edge.i)
    comma = first - 1
    if comma <= sent.start or verb.doc[comma].text != ",":
        return []
    start = sent.start
    for token in verb.doc[sent.start:comma]:
        if "\n" in token.text:
            start = token.i + 1
    tokens = _edge_trimmed(list(verb.doc[start:comma]))
    if tokens and tokens[0].tag_ in ("VBN", "VBG"):
        return []  # "Asked to describe the device, he said": a participle clause, not what was said
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
    return tokens if has_verb and sum(t.is_alpha for t in tokens) >= MIN_SENTENCE_WORDS else []


def _noun_content(noun: Token) -> list[Token]:
    """"the claim that ...": the that-clause attached to the cue noun."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "appos") and any(g.dep_ == "mark" and g.lower_ == "that"
                                                           for g in child.children):
            return _edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
    return []


def _noun_speaker(noun: Token, lexicon: Lexicon) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return _subject_of(noun.head, lexicon)
    return None


def find_reported_speech(doc: Doc, text: str, lexicon: Lexicon) -> list[Attribution]:
    """One attribution per cue that has content (and, for verbs, usually a speaker); ``text`` is ``doc.text``
    (built once by the caller: spaCy joins every token each time it is asked)."""
    found: list[Attribution | None] = []
    for token in doc:
        source = _is_according_to(token)
        if source is not None:
            cue_end = token.i + 2
            excluded = {t.i for t in token.subtree}
            content = _edge_trimmed(_longest_run(token.head.subtree, excluded)) if token.head is not token else []
            if content:
                found.append(_attribution(text, content, doc[token.i:cue_end], "according to", source, frozenset()))
            continue
        flags = _cue_flags(token, lexicon)
        if flags is None:
            continue
        if token.pos_ == "NOUN":
            content, speaker = _noun_content(token), _noun_speaker(token, lexicon)
        else:
            content, speaker = _verb_content(token, flags), _subject_of(token, lexicon)
        if content and speaker is not None:  # no speaker ("it was reported that"): not an attribution
            found.append(_attribution(text, content, doc[token.i:token.i + 1], token.lemma_.lower(), speaker, flags))
    return [a for a in found if a is not None]


def _past_open_quote(text: str, start: int, end: int) -> int:
    """A content that opens a quoted fragment ends after the fragment's closing mark ('as “a gift,”')."""
    inside = text[start:end]
    if inside.count("“") <= inside.count("”"):
        return end
    close = text.find("”", end, end + 3)
    return close + 1 if close >= 0 else end


def _same_paragraph(content: list[Token], cue: Span) -> list[Token]:
    """The content tokens in the cue's paragraph: the small model's sentences can run across a paragraph
    break, reported speech never does."""
    doc = cue.doc
    lo, hi = min(content[0].i, cue.start), max(content[-1].i + 1, cue.end)
    first, last = lo, hi
    for token in doc[lo:cue.start]:
        if "\n" in token.text:
            first = token.i + 1
    for token in doc[cue.end:hi]:
        if "\n" in token.text:
            last = token.i
            break
    return _edge_trimmed([t for t in content if first <= t.i < last])


def _attribution(text: str, content: list[Token], cue: Span, lemma: str, speaker: Token | None,
                 flags: frozenset[str]) -> Attribution | None:
    content = _same_paragraph(content, cue)
    if not content:
        return None
    start, end = content[0].idx, content[-1].idx + len(content[-1])
    end = _past_open_quote(text, start, end)
    return Attribution("indirect", start, end, cue=cue, cue_lemma=lemma, speaker_head=speaker,
                       denial="denial" in flags, belief="belief" in flags, pieces=[(start, end)])


HEADLINE_ATTRIBUTION = re.compile(r"([^:\n]{2,60}):[ \t]+(\S[^\n]*)")
MAX_HEADLINE_WORDS = 40


def find_headline_attributions(doc: Doc, text: str, paragraphs: list[tuple[int, int]]) -> list[Attribution]:
    """'John McCain: Republican anger appeals to bad angels': a short paragraph opened by a name and a colon
    (the headline convention) attributes the rest of the paragraph to that name."""
    found = []
    for p_start, p_end in paragraphs:
        match = HEADLINE_ATTRIBUTION.fullmatch(text, p_start, p_end)
        if match is None or len(match.group(2).split()) > MAX_HEADLINE_WORDS:
            continue
        name = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        colon = doc.char_span(match.end(1), match.end(1) + 1, alignment_mode="expand")
        content = _edge_trimmed(list(doc.char_span(match.start(2), match.end(2), alignment_mode="expand") or []))
        if name is None or colon is None or not content:
            continue
        ents = [e for e in doc.ents if e.start >= name.start and e.end <= name.end and e.label_ in NAMED_LABELS]
        if len(ents) != 1 or ents[0].end != name.end or len(name) - len(ents[0]) > 1:
            continue  # the words before the colon must be a name ("Poll: ..." and "Note: ..." are not sources)
        start, end = content[0].idx, content[-1].idx + len(content[-1])
        found.append(Attribution("indirect", start, end, cue=colon, cue_lemma=":", speaker_head=ents[0].root,
                                 pieces=[(start, end)]))
    return found


# ---------------------------------------------------------------- 3. direct quotes


def _tokens_of(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _is_sentence_like(span: Span) -> bool:
    """Speech rather than a scare quote: enough words and a finite verb."""
    words = [t for t in span if t.is_alpha]
    return len(words) >= MIN_SENTENCE_WORDS and any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span)


def _cue_beside(doc: Doc, quoted: QuotedSpan, lexicon: Lexicon, inside: list[tuple[int, int]]) -> Token | None:
    """A cue verb in the quote's sentence, outside every quoted span, right after or right before it:
    '"...," he said' / 'said X: "..."'."""
    first = _tokens_of(doc, quoted.start, quoted.pieces[0][1])
    last = _tokens_of(doc, quoted.pieces[-1][0], quoted.end)
    if first is None or last is None:
        return None
    window_after = _without_own_marks(list(doc[last.end:min(len(doc), last.end + 8)]))
    window_before = _without_own_marks(list(reversed(doc[max(0, first.start - 8):first.start])))
    for token in _until_boundary(window_after, inside) + _until_boundary(window_before, inside):
        flags = _cue_flags(token, lexicon)
        has_own_content = any(c.dep_ == "ccomp" for c in token.children)  # "..., arguing that X": X is its content
        if flags is not None and token.pos_ != "NOUN" and not has_own_content \
                and _subject_of(token, lexicon) is not None:
            return token
    return None  # no cue beside the quote


def _without_own_marks(tokens: list[Token]) -> list[Token]:
    """The window beside a quote starts after its own quotation mark."""
    while tokens and tokens[0].text in MARKS:
        tokens = tokens[1:]
    return tokens


def _cue_before_colon(doc: Doc, text: str, quoted: QuotedSpan, lexicon: Lexicon) -> Token | None:
    """'Cruz continued:' or 'The statement reads:' right before the quote (also across a paragraph break):
    the cue verb of the words leading up to the colon."""
    at = quoted.start - 2
    while at >= 0 and text[at].isspace():
        at -= 1
    if at < 0 or text[at] != ":":
        return None
    colon = doc.char_span(at, at + 1, alignment_mode="expand")
    if colon is None:
        return None
    before = list(reversed(doc[max(0, colon.start - 12):colon.start]))
    for token in _until_boundary(before, []):
        if _cue_flags(token, lexicon) is not None and token.pos_ != "NOUN" and _subject_of(token, lexicon):
            return token
    return None


def _until_boundary(tokens: list[Token], inside: list[tuple[int, int]]) -> list[Token]:
    """Tokens up to the next paragraph break, sentence end or quoted span."""
    kept = []
    for token in tokens:
        if "\n" in token.text or token.text in (".", "?", "!") or _inside_any(token.idx, inside):
            break
        kept.append(token)
    return kept


def _inside_any(offset: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def place_quoted_spans(doc: Doc, text: str, quoted: list[QuotedSpan], reported: list[Attribution],
                       lexicon: Lexicon) -> list[Attribution]:
    """Direct quotes from the quoted spans; the reported speech they replace or enrich is updated in place."""
    direct: list[Attribution] = []
    marked = sorted((q.start - 1, q.end + 1) for q in quoted)
    for a in reported:
        if a.cue is not None and _inside_any(a.cue.start_char, marked):
            a.kind = "nested"
    by_start = sorted(reported, key=lambda a: a.start)
    starts = [a.start for a in by_start]
    for q in quoted:
        lo = bisect.bisect_left(starts, q.start - 2 * MAX_QUOTE_CHARS)
        nearby = by_start[lo:bisect.bisect_right(starts, q.end)]
        nearby = [a for a in nearby if a.kind != "nested"]
        covered = [a for a in nearby if q.start - 2 <= a.start and a.end <= q.end + 2]
        holder = [a for a in nearby if a.start <= q.start and q.end <= a.end + 2 and a not in covered]
        if covered:  # the cue's complement lies inside the marks: it is this direct quote's cue
            cue_source = covered[0]
            for a in covered:
                a.kind = "covered"
            direct.append(Attribution("direct", q.start, q.end, cue=cue_source.cue, cue_lemma=cue_source.cue_lemma,
                                      speaker_head=cue_source.speaker_head, denial=cue_source.denial,
                                      pieces=list(q.pieces)))
            continue
        if holder:  # a fragment quoted inside reported speech
            for a in holder:
                if a.kind == "indirect":
                    a.kind = "mixed"
            continue
        cue = _cue_beside(doc, q, lexicon, marked) or _cue_before_colon(doc, text, q, lexicon)
        if cue is not None:
            flags = _cue_flags(cue, lexicon) or frozenset()
            direct.append(Attribution("direct", q.start, q.end, cue=doc[cue.i:cue.i + 1], cue_lemma=cue.lemma_.lower(),
                                      speaker_head=_subject_of(cue, lexicon), denial="denial" in flags, pieces=list(q.pieces)))
            continue
        span = _tokens_of(doc, q.start, q.end)
        if span is not None and (_is_sentence_like(span) or len(q.pieces) > 1):
            direct.append(Attribution("direct", q.start, q.end, pieces=list(q.pieces)))  # continuation: no cue
    return direct


# ---------------------------------------------------------------- 4. speakers


def _speaker_tokens(head: Token) -> tuple[list[Token], list[Token], list[Token]]:
    """For a subject head: the words naming the speaker ("Michael Kugelman"), the description without
    clauses ("a doctor in Chaman") and the whole phrase with appositives and clauses (what PolNeAR marks)."""
    left = [t for t in head.subtree if t.i <= head.i and not t.is_space]
    cut = max((t.i for t in left if t.i < head.i and (t.text in CLAUSE_PUNCT
                                                        or (t.dep_ in SPEAKER_BREAK_DEPS and t.dep_ != "punct"))),
              default=-1)
    naming = [t for t in left if t.i > cut] or [head]
    whole = [head] + [t for child in head.children if child.dep_ not in SPEAKER_BREAK_DEPS
                      for t in child.subtree]
    whole = sorted(t for t in whole if t.i > cut)
    phrase = sorted(t for t in head.subtree if t.i > cut and not t.is_space)
    return naming, _longest_run_through(whole, head), _longest_run_through(phrase, head)


def _longest_run_through(tokens: list[Token], head: Token) -> list[Token]:
    ids = {t.i for t in tokens}
    lo = hi = head.i
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    return _edge_trimmed([t for t in tokens if lo <= t.i <= hi]) or [head]


def _appositive(head: Token) -> str | None:
    for child in head.children:
        if child.dep_ == "appos":
            tokens = [t for t in child.subtree if not any(a.dep_ in ("relcl", "acl") and a.i != child.i
                                                           for a in _ancestors_to(t, child))]
            tokens = _edge_trimmed(sorted(tokens, key=lambda t: t.i))
            if tokens:
                return tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    return None


def _ancestors_to(token: Token, stop: Token) -> Iterator[Token]:
    current = token
    while current.i != stop.i and current.head is not current:
        yield current
        current = current.head


def _named_entity_in(tokens: list[Token]) -> Span | None:
    for token in tokens:
        if token.ent_type_ in NAMED_LABELS:
            return _entity_around(token)
    return None


def _entity_around(token: Token) -> Span:
    """The entity holding a token that has an entity type, read from the IOB tags around it (what
    ``doc.ents`` would give, without building every entity of the document)."""
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type_)


def _looks_proper(name: str) -> bool:
    first = name.split()[0] if name.split() else ""
    return bool(first) and first[0].isupper() and first.lower() not in DETERMINERS_OF_DESCRIPTIONS


def _actor_is_named(actor: dict[str, Any]) -> bool:
    """The actors component says whether a person is unnamed; other actors count as named when their
    name looks like a proper name ("Government of Pakistan", not "the ministry")."""
    if "anonymous" in actor:
        return not actor["anonymous"]
    return actor.get("type") in NAMED_LABELS and _looks_proper(actor.get("name") or "")


class SpeakerResolver:
    """Turns speaker heads into Speakers in reading order, remembering earlier ones for pronouns,
    definite descriptions and cue-less continuations. The actors component is asked first; when it
    knows nothing, pronouns and descriptions are resolved here to earlier speakers and subjects."""

    def __init__(self, doc: Doc, text: str, lexicon: Lexicon, actors: MentionIndex | None = None) -> None:
        self.doc = doc
        self.text = text  # doc.text, built once
        self.actors = actors if actors is not None else MentionIndex(doc._.dateline_actors)
        self.lexicon = lexicon
        self.history: list[Speaker] = []

    def resolve(self, head: Token) -> Speaker:
        naming, whole, phrase = _speaker_tokens(head)
        start, end = naming[0].idx, naming[-1].idx + len(naming[-1])
        speaker = Speaker(start, end, head, self.text[start:end], key=f"@{start}",
                          phrase=(phrase[0].idx, phrase[-1].idx + len(phrase[-1])))
        actor = self.actors.covering(head.idx, head.idx + len(head))
        if actor is not None:
            speaker.entity, speaker.key = actor.get("id"), str(actor.get("id"))
        if head.pos_ == "PRON" or head.lower_ in PERSONAL_PRONOUNS:
            self._from_antecedent(speaker, actor)
        elif head.pos_ == "PROPN" or head.ent_type_ in NAMED_LABELS:
            ent = _named_entity_in([head]) or _named_entity_in(naming)
            named_actor = actor is not None and _actor_is_named(actor)
            speaker.name = actor.get("name") if actor and named_actor else ent.text if ent else speaker.text
            speaker.description = _appositive(head)
        else:
            self._as_description(speaker, self.doc[whole[0].i:whole[-1].i + 1].text, actor)
        self.history.append(speaker)
        return speaker

    def _as_description(self, speaker: Speaker, description: str, actor: dict[str, Any] | None) -> None:
        lemma = speaker.head.lemma_.lower()
        if actor is not None and _actor_is_named(actor) and speaker.head.lower_ not in (actor.get("name") or "").lower():
            speaker.name = actor.get("name")  # "the doctor" who was named before
            return
        speaker.description = description
        speaker.name = description
        unnamed_person = lemma in self.lexicon.person_nouns and lemma not in self.lexicon.institution_nouns
        speaker.anonymous = unnamed_person or bool(actor and actor.get("anonymous"))
        earlier = self._latest(lambda s: s.key == speaker.key) if actor is not None else None
        if earlier is None and actor is None and self._is_definite(speaker.head):
            earlier = self._latest(lambda s: s.head.lemma_.lower() == lemma and s.anonymous == speaker.anonymous)
        if earlier is not None:  # "the doctor" after "a doctor in Chaman": the same source
            speaker.key = earlier.key
            speaker.anonymity_reason = earlier.anonymity_reason

    @staticmethod
    def _is_definite(head: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "his", "her", "their", "its", "that", "those")
                   for c in head.children)

    def _from_antecedent(self, speaker: Speaker, actor: dict[str, Any] | None) -> None:
        if actor is not None:
            earlier = self._latest(lambda s: s.key == speaker.key)
            if earlier is not None:
                self._copy(earlier, speaker)
            elif _actor_is_named(actor):
                speaker.name = actor.get("name")
            else:
                speaker.anonymous = True
                speaker.name = actor.get("name")
                speaker.description = actor.get("description") or actor.get("name")
            return
        number = PERSONAL_PRONOUNS.get(speaker.head.lower_, "sing")
        antecedent = self._latest(lambda s: _number_of(s.head) == number and s.head.pos_ != "PRON")
        subject = _previous_subject(speaker.head, number)
        if subject is not None and (antecedent is None or subject.i != antecedent.head.i):
            antecedent = self._latest(lambda s: s.head.i == subject.i) or self._describe(subject)
        if antecedent is None:
            speaker.name = speaker.text
            return
        self._copy(antecedent, speaker)

    @staticmethod
    def _copy(antecedent: Speaker, speaker: Speaker) -> None:
        for attribute in ("entity", "name", "anonymous", "anonymity_reason", "description", "key"):
            setattr(speaker, attribute, getattr(antecedent, attribute))

    def _describe(self, head: Token) -> Speaker:
        """A speaker for an antecedent that has not spoken yet (kept out of the history)."""
        resolver = SpeakerResolver(self.doc, self.text, self.lexicon, self.actors)
        resolver.history = list(self.history)
        return resolver.resolve(head)

    def _latest(self, wanted: Any) -> Speaker | None:
        for earlier in reversed(self.history[-50:]):
            if wanted(earlier):
                return earlier
        return None


def _number_of(head: Token) -> str:
    if head.lower_ in PERSONAL_PRONOUNS:
        return PERSONAL_PRONOUNS[head.lower_]
    if head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" and c.lower_ != "one" for c in head.children):
        return "plur"
    if head.ent_type_ == "PERSON" or head.lemma_.lower() in load_lexicon().person_nouns:
        return "sing"
    if head.pos_ == "PROPN" and head.ent_type_ not in NAMED_LABELS:
        return "sing"  # an unknown name that speaks is most likely a person's
    return "thing"  # a country, a body, a thing: "it"


def _previous_subject(pronoun: Token, number: str) -> Token | None:
    """The first subject of the sentence before the pronoun's (a sentence stops at a paragraph break,
    whatever the parser thought), when it agrees in number: "it" = a country or body, "he"/"she" = one
    person, "they" = a plural."""
    doc = pronoun.doc
    start = pronoun.sent.start
    for token in doc[start:pronoun.i]:
        if "\n" in token.text:
            start = token.i + 1
    if start == 0:
        return None
    previous = doc[start - 1].sent
    begin = previous.start
    for token in doc[previous.start:start]:
        if "\n" in token.text and token.i < start - 1:
            begin = token.i + 1
    for token in doc[begin:start]:
        if token.dep_ in SUBJECT_DEPS and token.pos_ not in ("PRON", "SPACE"):
            return token if _number_of(token) == number else None
    return None


# ---------------------------------------------------------------- 5. anonymity reasons and denials


def _anonymity_reason(sentence: str, lexicon: Lexicon) -> tuple[bool, str | None]:
    """(the sentence marks a source as anonymous, the reason it gives or None)."""
    marker = next((m for pattern in lexicon.anonymity_markers if (m := pattern.search(sentence))), None)
    if marker is None:
        return False, None
    tail = sentence[marker.start():]
    for pattern in lexicon.anonymity_reasons:
        found = pattern.search(tail)
        if found:
            return True, found.group("reason").strip().rstrip(",")
    return True, None


def link_anonymity(doc: Doc, text: str, quotes: list[Attribution], lexicon: Lexicon) -> None:
    """Give anonymous speakers the reason stated in their own sentence or in a later one
    ("The doctor spoke on condition of anonymity because ...")."""
    by_sentence: dict[int, list[Attribution]] = {}
    for q in quotes:
        if q.speaker is not None:
            by_sentence.setdefault(q.speaker.head.sent.start, []).append(q)
    for sent in doc.sents:
        sentence = text[sent.start_char:sent.end_char]  # sent.text, without joining its tokens again
        lowered = sentence.lower()
        if not any(word in lowered for word in ANONYMITY_HINTS):
            continue
        marked, reason = _anonymity_reason(sentence, lexicon)
        if not marked:
            continue
        target = _source_of_marker(sent, by_sentence.get(sent.start, []), quotes)
        if target is None:
            continue
        for q in quotes:
            if q.speaker is not None and q.speaker.key == target.key:
                q.speaker.anonymous = True
                q.speaker.anonymity_reason = q.speaker.anonymity_reason or reason


def _source_of_marker(sent: Span, same_sentence: list[Attribution], quotes: list[Attribution]) -> Speaker | None:
    if same_sentence:
        return same_sentence[-1].speaker
    subject = next((t for t in sent if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT"), None)
    if subject is None:
        return None
    earlier = [q.speaker for q in quotes if q.speaker is not None and q.start < sent.start_char]
    for speaker in reversed(earlier[-30:]):
        if subject.pos_ == "PRON" and _number_of(speaker.head) == _number_of(subject):
            return speaker
        if subject.lemma_.lower() == speaker.head.lemma_.lower():
            return speaker
    return None


def _content_lemmas(doc: Doc, start: int, end: int) -> frozenset[str]:
    span = _tokens_of(doc, start, end)
    if span is None:
        return frozenset()
    return frozenset(t.lemma_.lower() for t in span if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop)


def link_denials(doc: Doc, quotes: list[Attribution]) -> None:
    """A denial answers the other speakers' quotes that share its content words."""
    lemmas = {id(q): _content_lemmas(doc, q.start, q.end) for q in quotes}
    for index, denial in enumerate(quotes):
        if not denial.denial:
            continue
        mine = lemmas[id(denial)]
        lo = max(0, index - ANSWER_WINDOW // 2)
        for other in quotes[lo:lo + ANSWER_WINDOW]:
            if other is denial or (other.speaker and denial.speaker and other.speaker.key == denial.speaker.key):
                continue
            shared = mine & lemmas[id(other)]
            if len(shared) >= 3 and len(shared) / max(1, len(mine | lemmas[id(other)])) >= 0.2:
                denial.answers.append(other.id)


# ---------------------------------------------------------------- the component


def _paragraph_index(paragraphs: list[tuple[int, int]], offset: int) -> int:
    return bisect.bisect_right([p[0] for p in paragraphs], offset) - 1


def find_quotes(doc: Doc, lexicon: Lexicon) -> list[dict[str, Any]]:
    text = doc.text
    paragraphs = paragraph_bounds(text)
    quoted = find_quoted_spans(text, paragraphs)
    reported = find_reported_speech(doc, text, lexicon) + find_headline_attributions(doc, text, paragraphs)
    direct = place_quoted_spans(doc, text, quoted, reported, lexicon)
    quotes = sorted([a for a in reported if a.kind in ("indirect", "mixed")] + direct, key=lambda a: (a.start, a.end))
    quotes = _without_duplicates(quotes)
    resolver = SpeakerResolver(doc, text, lexicon)
    paragraph_starts = [p[0] for p in paragraphs]
    previous: Attribution | None = None
    for number, q in enumerate(quotes, 1):
        q.id = f"q{number}"
        if q.speaker_head is not None:
            q.speaker = resolver.resolve(q.speaker_head)
        elif q.cue is None and previous is not None and previous.speaker is not None \
                and _near(paragraph_starts, previous, q):
            q.speaker = previous.speaker  # continuation: the same source goes on talking
        if q.speaker is not None:
            previous = q
    link_anonymity(doc, text, quotes, lexicon)
    link_denials(doc, quotes)
    return [_as_record(text, q) for q in quotes]


def _near(paragraph_starts: list[int], previous: Attribution, current: Attribution) -> bool:
    before = bisect.bisect_right(paragraph_starts, previous.end) - 1
    now = bisect.bisect_right(paragraph_starts, current.start) - 1
    return now - before <= CONTINUATION_PARAGRAPHS - 1 or (now - before <= CONTINUATION_PARAGRAPHS
                                                            and current.kind == "direct")


def _without_duplicates(quotes: list[Attribution]) -> list[Attribution]:
    """Two cues on one content ("said ..., saying") keep the first; a direct quote beats reported speech."""
    kept: list[Attribution] = []
    seen: dict[tuple[int, int], Attribution] = {}
    for q in quotes:
        key = (q.start, q.end)
        if key in seen:
            continue
        seen[key] = q
        kept.append(q)
    return kept


def _as_record(text: str, q: Attribution) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind,
        "content": {"start": q.start, "end": q.end, "text": text[q.start:q.end]},
        "cue": None,
        "speaker": q.speaker.as_dict() if q.speaker is not None else None,
        "denial": q.denial,
        "answers": q.answers,
    }
    if q.cue is not None:
        record["cue"] = {"start": q.cue.start_char, "end": q.cue.end_char, "text": q.cue.text, "lemma": q.cue_lemma}
    if len(q.pieces) > 1:
        record["content"]["pieces"] = [{"start": s, "end": e} for s, e in q.pieces]
    if q.belief:
        record["belief"] = True
    return record


class QuoteFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon = load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.dateline_quotes = find_quotes(doc, self.lexicon)
        except Exception:  # one odd article must not stop the batch: it gets no quotes, and a log line
            log.exception("quote extraction failed on a document of %d characters", len(doc.text))
            doc._.dateline_quotes = []
        return doc


@Language.factory("dateline_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(nlp, name)
