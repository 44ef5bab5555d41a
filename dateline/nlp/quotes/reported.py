"""Step 2: reported speech over the parse — cue words give the content clause, the cue and the speaker
(the cue's subject, or "according to X"); also the headline convention "Name: words"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from dateline.nlp.quotes.attribution import Attribution
from dateline.nlp.quotes.lexicon import Lexicon, cue_flags
from dateline.nlp.quotes.tokens import MIN_SENTENCE_WORDS, NAMED_LABELS, SUBJECT_DEPS, cue_span, edge_trimmed

MAIN_CLAUSE_DEPS = ("ROOT", "conj", "advcl", "parataxis")  # a cue heading its own clause


def _according_to(token: Token) -> tuple[Token, list[Token]] | None:
    """For "according" in "according to X": the source's head and the content. Read from the surface, as the
    small model parses these phrases badly ("According to X, the move reeks" with "reeks" a noun): the
    phrase runs to the next comma or the sentence's end; the content is the rest of the sentence, in two
    pieces when the phrase sits in the middle."""
    doc = token.doc
    if token.lower_ != "according" or token.i + 2 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    first, last = _sentence_in_paragraph(token)
    end = next((t.i for t in doc[token.i + 2:last + 1] if t.text in (",", ";", "—", "–") or t.is_space),
               last + 1)
    phrase = [t for t in doc[token.i + 2:end] if not t.is_punct]
    source = _phrase_head(phrase)
    if source is None:
        return None
    content = edge_trimmed([t for t in doc[first:last + 1] if not token.i <= t.i < end and not t.is_space])
    return source, content


def _phrase_head(phrase: list[Token]) -> Token | None:
    """The head of a noun phrase: the parser's, when one word of the phrase governs the others; else its
    last noun before a preposition or a clause ("show insiders", "a database tracking such deaths")."""
    ids = {t.i for t in phrase}
    heads = [t for t in phrase if t.head.i not in ids or t.head is t]
    if len(heads) == 1 and heads[0].pos_ in ("NOUN", "PROPN", "PRON"):
        return heads[0]
    nouns: list[Token] = []
    for t in phrase:
        if nouns and (t.pos_ in ("ADP", "VERB", "SCONJ") or t.tag_ in ("WDT", "WP")):
            break
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            nouns.append(t)
    return nouns[-1] if nouns else None


def _sentence_in_paragraph(token: Token) -> tuple[int, int]:
    """First and last index of the token's sentence without the final punctuation, clipped to its paragraph
    (the small model's sentences can run across a paragraph break)."""
    doc = token.doc
    first, end = _within_paragraph(doc, token.sent.start, token.i, token.i, token.sent.end)
    last = end - 1
    while last > token.i and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return first, last


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


def subject_of(verb: Token, lexicon: Lexicon) -> Token | None:
    """The cue verb's subject; participles and conjuncts ("..., saying", "and said") borrow their head's,
    and a participle inside reported content ("He said X was firm, saying ...") borrows the reporter's."""
    quoted = _quoted_as(verb)
    if quoted is not None:
        return quoted
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        subject = next((c for c in current.children if c.dep_ in SUBJECT_DEPS and c.pos_ != "SPACE"), None)
        if subject is not None:
            if subject.dep_ != "nsubj":
                return _agent_of(current)
            if subject.tag_ in ("WP", "WDT") and current.dep_ == "relcl":
                return current.head  # "Chris Cox, who runs the lobby, said": the noun the clause hangs on
            if current is verb or _can_speak(subject, lexicon) or current.dep_ not in ("conj", "advcl"):
                return subject
            # A borrowed subject that cannot speak: "Iraq accused Turkey … as a new dam began to fill, warning
            # that …" (the parser hangs "warning" on "began"): the speaker is further up.
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head is not current:
            head = current.head
            if current.dep_ == "advcl" and head.dep_ == "ccomp" and cue_flags(head.head, lexicon) is not None:
                head = head.head
            current = head
        elif _is_manner_gerund(current):
            current = current.head.head  # "responded by saying X": the one who responded said it
        else:
            return _agent_of(current)
    return None


MANNER_PREPOSITIONS = frozenset({"by", "in", "after", "before", "while"})
QUOTING_VERBS = frozenset({"quote", "cite"})  # "X was quoted as saying": the speaker is the one quoted


def _quoted_as(verb: Token) -> Token | None:
    """"The minister was quoted as saying" / "Reuters quoted the minister as saying": the one quoted."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ != "as" or prep.head.lemma_.lower() not in QUOTING_VERBS:
        return None
    quoting = prep.head
    return next((c for c in quoting.children if c.dep_ in ("nsubjpass", "dobj") and c.pos_ != "SPACE"), None)


def _is_manner_gerund(verb: Token) -> bool:
    """A gerund after "by", "in", "after" … hung on a verb: "began by saying", "erred in claiming"."""
    prep = verb.head
    return verb.dep_ == "pcomp" and verb.tag_ == "VBG" and prep.lower_ in MANNER_PREPOSITIONS \
        and prep.head.pos_ in ("VERB", "AUX") and prep.head.i != prep.i


def _can_speak(token: Token, lexicon: Lexicon) -> bool:
    """A person, group, place-as-government, pronoun or source noun ("official", "ministry", "statement")."""
    if token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or token.pos_ in ("PRON", "PROPN"):
        return True
    lemma = token.lemma_.lower()
    return (lemma in lexicon.person_nouns or lemma in lexicon.institution_nouns or lemma in lexicon.document_nouns
            or lemma in lexicon.nouns)


def _agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _verb_content(verb: Token, flags: frozenset[str], lexicon: Lexicon) -> list[Token]:
    """What the cue verb reports: its clausal complement, or the clause it interrupts ("X, he said")."""
    complement = _complement_clause(verb)
    if (complement is None or complement.i < verb.i) and verb.dep_ != "relcl" \
            and any(c.dep_ == "nsubj" for c in verb.children):
        # a complement before the cue ("X, but Y, a source added") is only part of what was reported
        around = _sentence_around(verb, lexicon)
        if around:
            return around
    if complement is not None:
        tokens = list(complement.subtree)
        for later in _clauses_going_on(verb, complement, lexicon):
            tokens += list(later.subtree)
        return _without_other_cue(edge_trimmed(sorted(tokens, key=lambda t: t.i)), lexicon)
    if "object" in flags and verb.dep_ in MAIN_CLAUSE_DEPS:
        excluded = {t.i for c in verb.children if c.dep_ in SUBJECT_DEPS + ("advcl",) for t in c.subtree}
        right = edge_trimmed(_longest_run([t for t in verb.subtree if t.i > verb.i], excluded | {verb.i}))
        if right and right[0].i == verb.i + 1 and right[0].dep_ == "prep" and right[0].head.i == verb.i:
            right = right[1:]  # "called for a recount", "called on X to …": the preposition goes with the cue
        return right
    has_subject = any(c.dep_ == "nsubj" for c in verb.children)
    if verb.dep_ == "advcl" and has_subject and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        # "As the Post observed, Republicans now control ...": the clause the cue is attached to
        return edge_trimmed(_longest_run(verb.head.subtree, {t.i for t in verb.subtree}))
    return _that_clause_on_object(verb) or _complement_phrase(verb, lexicon)


def _sentence_around(verb: Token, lexicon: Lexicon) -> list[Token]:
    """"Bonuses were small, the Journal reports." / "The difference now, he told me on Friday, is that …":
    a cue with its own subject, set off by a comma, reports the rest of its sentence (clipped to the
    paragraph), in two pieces when it interrupts it — whatever word the parser hung the cue on. The cue's
    words run from its subject to the next comma; "…, he said, adding that …" leaves the rest to "adding".
    A cue in a relative clause ("officers, who asked for the names") is never asked: it reports nothing
    outside that clause."""
    doc = verb.doc
    subject = next(c for c in verb.children if c.dep_ == "nsubj")
    start = min(subject.left_edge.i, verb.i)
    if start == 0 or doc[start - 1].text != ",":  # after a closing quotation mark it is a direct quote's cue
        return []
    first, last = _sentence_in_paragraph(verb)
    end = verb.i + 1
    while end <= last and doc[end].text != ",":
        end += 1
    before = list(doc[first:start - 1])
    after = list(doc[end + 1:last + 1]) if end < last else []
    if after and after[0].tag_ == "VBG" and cue_flags(after[0], lexicon) is not None:
        after = []
    before, after = edge_trimmed(before), edge_trimmed(after)
    if not before or before[0].tag_ in ("VBN", "VBG"):
        return []  # "Asked to describe the device, he said": a participle clause, not what was said
    content = before + after
    clause_like = any(t.pos_ in ("VERB", "AUX") for t in content) and sum(t.is_alpha for t in content) >= MIN_SENTENCE_WORDS
    return content if clause_like else []


def _without_other_cue(tokens: list[Token], lexicon: Lexicon) -> list[Token]:
    """A complement ending in "…, arguing that …" stops before the participle: that is another cue's content
    (the speaker's next attribution), not part of this one."""
    if not tokens:
        return tokens
    doc, first = tokens[0].doc, tokens[0].i
    cut = next((t.i for t in tokens if t.tag_ == "VBG" and t.i > first and doc[t.i - 1].text == ","
                and cue_flags(t, lexicon) is not None), None)
    return edge_trimmed([t for t in tokens if t.i < cut]) if cut is not None else tokens


def _complement_clause(verb: Token) -> Token | None:
    """The clause the cue verb reports: its ccomp, or — the small model's frequent mislabel — a following
    adverbial clause with its own subject and no conjunction but "that" or a wh-word ("said after the
    convention he would not")."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ != "SPACE":
            return child
    for child in verb.children:
        if child.dep_ == "advcl" and child.i > verb.i and child.tag_ != "VBG" \
                and any(c.dep_ == "nsubj" for c in child.children) \
                and not any(c.dep_ in ("mark", "advmod") and c.lower_ != "that" and c.tag_ != "WRB"
                            for c in child.children if c.i < child.i):
            return child  # also "tweeted in the morning that X" and an embedded question ("said when they would")
    return None


def _clauses_going_on(verb: Token, complement: Token, lexicon: Lexicon) -> list[Token]:
    """Clauses hung on the cue after its complement that still belong to what was said: a second complement
    ("said A and B was …", which the parser attaches to the cue) or an adverbial clause with its own
    subject ("…, when it comes to …"). Not another cue ("…, adding that"), nor a participle."""
    going_on = []
    for child in verb.children:
        if child.i <= complement.i or child.pos_ == "SPACE" or cue_flags(child, lexicon) is not None:
            continue
        own_subject = any(c.dep_ in SUBJECT_DEPS for c in child.children)
        if child.dep_ == "ccomp" or (child.dep_ == "advcl" and own_subject and child.tag_ != "VBG"):
            going_on.append(child)
    return going_on






def _complement_phrase(verb: Token, lexicon: Lexicon) -> list[Token]:
    """"pledged to oppose X", "announced his resignation", "denied the allegations": with no clause, the
    infinitive or the object is what is said (an addressee — "told Reuters", "asked him" — is not).
    Only for a cue heading its clause — or, for an infinitive, a relative clause ("China, which vowed to …")
    or a complement clause that is no one's reported speech: "the pylons showed damage" inside what someone
    wrote is no attribution; "The debate is predictable — Trump has vowed to …" is."""
    own_clause = verb.dep_ == "relcl" or verb.dep_ == "ccomp" and cue_flags(verb.head, lexicon) is None \
        and any(c.dep_ == "nsubj" for c in verb.children)
    bare_participle = verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    if verb.dep_ not in MAIN_CLAUSE_DEPS and not own_clause or bare_participle:  # "Asked to describe it, he said"
        return []
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            # "urged supporters to monitor the polls": the one urged belongs to what was urged
            asked = [t for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < child.i for t in c.subtree]
            return edge_trimmed(sorted(asked + list(child.subtree), key=lambda t: t.i))
    if verb.dep_ not in MAIN_CLAUSE_DEPS:
        return []  # there only a promise ("has vowed to …"): '"A," she told the committee, "B."' has no object content
    for child in verb.children:
        addressee = child.pos_ in ("PRON", "PROPN") or child.ent_type_ in NAMED_LABELS
        if child.dep_ == "dobj" and not addressee and child.i > verb.i:
            return edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
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
                return edge_trimmed(list(verb.doc[tokens[0].i:tokens[-1].i + 1]))
    return []




def _noun_content(noun: Token) -> list[Token]:
    """"the claim that ...": the that-clause attached to the cue noun."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "appos") and any(g.dep_ == "mark" and g.lower_ == "that"
                                                           for g in child.children):
            return edge_trimmed(sorted(child.subtree, key=lambda t: t.i))
    return []


def _noun_speaker(noun: Token, lexicon: Lexicon) -> Token | None:
    """Whose statement: "Stumpf's claim", "a New York Times report", or the subject of "made the claim"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ == "compound" and child.ent_type_ in NAMED_LABELS:
            return child
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head, lexicon)
    return None


def find_reported_speech(doc: Doc, text: str, lexicon: Lexicon) -> list[Attribution]:
    """One attribution per cue that has content (and, for verbs, usually a speaker); ``text`` is ``doc.text``
    (built once by the caller: spaCy joins every token each time it is asked)."""
    found: list[Attribution | None] = []
    for token in doc:
        according = _according_to(token)
        if according is not None:
            source, content = according
            if content:
                found.append(_attribution(text, content, doc[token.i:token.i + 2], "according to", source, frozenset()))
            continue
        flags = cue_flags(token, lexicon)
        if flags is None or "quote" in flags:
            continue
        if token.pos_ == "NOUN":
            content, speaker = _noun_content(token), _noun_speaker(token, lexicon)
        else:
            content, speaker = _verb_content(token, flags, lexicon), subject_of(token, lexicon)
        if content and speaker is not None:  # no speaker ("it was reported that"): not an attribution
            cue = cue_span(token) if token.pos_ != "NOUN" else doc[token.i:token.i + 1]
            found.append(_attribution(text, content, cue, token.lemma_.lower(), speaker, flags))
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
    lo, hi = min(content[0].i, cue.start), max(content[-1].i + 1, cue.end)
    first, last = _within_paragraph(cue.doc, lo, cue.start, cue.end, hi)
    return edge_trimmed([t for t in content if first <= t.i < last])


def _within_paragraph(doc: Doc, lo: int, start: int, end: int, hi: int) -> tuple[int, int]:
    """The part [first, last) of tokens [lo, hi) in the paragraph of tokens [start, end): from after the last
    line break before ``start`` to the first line break from ``end`` on."""
    first, last = lo, hi
    for token in doc[lo:start]:
        if "\n" in token.text:
            first = token.i + 1
    for token in doc[end:hi]:
        if "\n" in token.text:
            last = token.i
            break
    return first, last


def _attribution(text: str, content: list[Token], cue: Span, lemma: str, speaker: Token | None,
                 flags: frozenset[str]) -> Attribution | None:
    content = _same_paragraph(content, cue)
    if not content:
        return None
    pieces = [(run[0].idx, run[-1].idx + len(run[-1])) for run in _runs(content)]
    start, end = pieces[0][0], _past_open_quote(text, pieces[-1][0], pieces[-1][1])
    pieces[-1] = (pieces[-1][0], end)
    return Attribution("indirect", start, end, cue=cue, cue_lemma=lemma, speaker_head=speaker,
                       denial="denial" in flags, belief="belief" in flags, pieces=pieces)


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Contiguous runs of ``tokens`` (sorted), each trimmed: the pieces of a content the cue interrupts."""
    runs: list[list[Token]] = []
    for token in tokens:
        if runs and token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    return [trimmed for run in runs if (trimmed := edge_trimmed(run))] or [tokens]


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
        content = edge_trimmed(list(doc.char_span(match.start(2), match.end(2), alignment_mode="expand") or []))
        if name is None or colon is None or not content:
            continue
        speaker = _headline_name(doc, name)
        if speaker is None:
            continue  # the words before the colon must be a name ("Poll: ..." and "Note: ..." are not sources)
        start, end = content[0].idx, content[-1].idx + len(content[-1])
        found.append(Attribution("indirect", start, end, cue=colon, cue_lemma=":", speaker_head=speaker,
                                 pieces=[(start, end)]))
    return found


def _headline_name(doc: Doc, name: Span) -> Token | None:
    """The head of the name before a headline's colon: an entity ending the words, or — as the model often
    misses names in title case — capitalised words that end a named entity elsewhere in the article
    ("Pence:" when the text names "Mike Pence"; "Poll:" ends none)."""
    ents = [e for e in doc.ents if e.start >= name.start and e.end <= name.end and e.label_ in NAMED_LABELS]
    if len(ents) == 1 and ents[0].end == name.end and len(name) - len(ents[0]) <= 1:
        return ents[0].root
    if ents or len(name) > 3 or not all(t.is_alpha and t.text[0].isupper() for t in name):
        return None
    last = name[-1].text
    if any(e.label_ in NAMED_LABELS and e[-1].text == last and e.start != name[-1].i for e in doc.ents):
        return name[-1]
    return None
