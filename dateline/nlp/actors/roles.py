"""Roles from the words around a name: premodifier titles ("Pakistani Prime Minister Imran Khan"), appositives and
relative clauses ("Amir Rana, executive director of ..."), and the country a span names."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.nlp import actor_codes as codes

TITLE_ZONE_TOKENS = 7  # how far left of a name a premodifier title may start


@dataclass(slots=True)
class Role:
    text: str | None = None
    title: codes.Title | None = None
    country: str | None = None
    description: str | None = None
    sector: str | None = None


# ---------------------------------------------------------------- roles


def ents_in(span: Span) -> list[Span]:
    """The entities starting inside a span, read from the tokens' IOB tags: ``Span.ents`` walks every entity of
    the document on each call, which is quadratic over long articles."""
    doc = span.doc
    found = []
    for token in span:
        if token.ent_iob_ == "B":
            end = token.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            found.append(Span(doc, token.i, end, label=token.ent_type_))
    return found


def span_country(span: Span) -> str | None:
    """The first country a span names: demonym, country name, dictionary organisation, capital ("Washington-based")."""
    for ent in ents_in(span):
        text = codes.strip_article(ent.text)
        country = codes.country_mentioned(text) or codes.country_of_capital(text)
        if country is not None:
            return country.cc
        org = codes.find_organisation(text)
        if org is not None and org.country:
            return org.country
        if ent.label_ == "GPE":
            in_place = codes.place_country(text)
            if in_place:
                return in_place
        if ent.label_ == "ORG":
            for word in text.split():
                named = codes.country_mentioned(word)
                if named is not None:
                    return named.cc
    for token in span:
        if token.is_title or token.is_upper:
            country = codes.country_mentioned(token.text)
            if country is not None:
                return country.cc
    return None


def premodifier_zone(ent: Span) -> Span:
    """The words before a name that may hold its title: "Pakistani army spokesman Major General" (stops at verbs,
    articles, most prepositions and punctuation; "of" only inside a capitalised title: "Secretary of State")."""
    doc = ent.doc
    start = ent.start
    floor = max(ent.sent.start if doc.has_annotation("SENT_START") else 0, ent.start - TITLE_ZONE_TOKENS)
    while start > floor:
        token = doc[start - 1]
        inner_of = token.lower_ == "of" and start - 2 >= floor and doc[start - 2].is_title and doc[start].is_title
        if token.is_space or "\n" in token.whitespace_ or token.ent_type_ == "PERSON":
            break
        if not inner_of and (token.is_punct and token.text not in ("-", ".")
                             or token.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "NUM")):
            break
        start -= 1
    return doc[start:ent.start]


def premodifier_role(ent: Span) -> Role | None:
    """"Pakistani Prime Minister Imran Khan" -> Prime Minister of Pakistan; "Prominent Pakistani cleric X" -> cleric;
    "Pakistani army spokesman Major General X" -> army spokesman Major General."""
    zone = premodifier_zone(ent)
    words = [t.text for t in zone]
    found = codes.find_title(words) if words else None
    if found is None:
        return None
    n_words, title = found
    before = zone[:len(zone) - n_words]
    country = span_country(before) if len(before) else None
    # the role runs from the first title word after the country words ("army spokesman Major General")
    first = next((t.i for t in before if codes.find_title([t.text]) or t.pos_ == "NOUN" and not t.ent_type_),
                 zone.end - n_words)
    written = ent.doc[first:zone.end].text
    return Role(_role_text(title, country, written) if first == zone.end - n_words else written, title, country,
                sector=title.sector)


def _role_text(title: codes.Title, country: str | None, written: str) -> str:
    if title.office == "office":
        named = codes.country_by_code(country)
        office = " ".join(w.capitalize() if w not in ("of", "and") else w for w in title.title.split())
        return f"{office} of {named.name}" if named else office
    return written.lower() if not written.isupper() else written


def appositive_role(ent: Span) -> Role | None:
    """"Amir Rana, executive director of the ... Institute" and "Pakistan's foreign minister, X," (X an appositive)."""
    root = ent.root
    appos = next((c for c in root.children if c.dep_ == "appos" and c.i >= ent.end), None)
    if appos is None and root.dep_ == "appos" and root.head.i < ent.start and root.head.ent_type_ != "PERSON":
        appos = root.head
        return _role_from_phrase(_subtree_span(appos, exclude=root), ent)
    if appos is None:
        appos = _comma_phrase_head(ent)
    if appos is None or appos.ent_type_ in ("PERSON", "GPE", "ORG") and appos.ent_iob_ != "O":
        return None
    return _role_from_phrase(_subtree_span(appos), ent)


def _comma_phrase_head(ent: Span) -> Token | None:
    """The head of "<name>, a/the <title> ..." when the parser did not mark the appositive."""
    doc = ent.doc
    i = ent.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    if doc[i + 1].lower_ not in ("a", "an", "the") and codes.find_title([doc[i + 1].text]) is None:
        return None
    for token in doc[i + 1:min(len(doc), i + 10)]:
        if token.is_punct or token.pos_ in ("VERB", "AUX") or token.lower_ in ("who", "which"):
            break
        if token.pos_ == "NOUN" and token.head.i != token.i + 1:
            return token
    return None


def _subtree_span(token: Token, exclude: Token | None = None) -> Span:
    tokens = [t for t in token.subtree if exclude is None or not (exclude.left_edge.i <= t.i <= exclude.right_edge.i)]
    start, end = tokens[0].i, tokens[-1].i + 1
    if exclude is not None and exclude.i > token.i:
        end = min(end, exclude.left_edge.i)
    return token.doc[start:end]


def _role_from_phrase(phrase: Span, ent: Span) -> Role | None:
    if not len(phrase):
        return None
    relcl = next((t for t in phrase.root.children if t.dep_ == "relcl"), None)
    core_end = relcl.left_edge.i if relcl is not None else phrase.end
    core = phrase.doc[phrase.start:core_end]
    while len(core) and (core[-1].is_punct or core[-1].lower_ in ("who", "which", "that")):
        core = core[:-1]
    if not len(core) or len(core) > 25:
        return None
    one_of = core.root.lower_ == "one" and any(c.lower_ == "of" for c in core.root.children)
    head_words = [t.text for t in core if t.i <= core.root.i] if not one_of else [t.lemma_ for t in core][-1:]
    found = codes.find_title(head_words)
    title = found[1] if found else None
    if title is None and core.root.pos_ != "NOUN" and not one_of:
        return None
    country = span_country(phrase)
    description = core.text
    sector = title.sector if title and title.sector else _organisation_sector(core)
    return Role(_normalise_role(core), title, country, description, sector)


def _normalise_role(core: Span) -> str:
    """Drop the article; "X of/at the ... ORG" -> "X, ORG"; "one of Wahab's cousins" -> "Wahab's cousin"."""
    tokens = list(core)
    while tokens and (tokens[0].pos_ == "DET" or tokens[0].tag_ == "PRP$"):
        tokens = tokens[1:]
    if not tokens:
        return core.text
    if tokens[0].lower_ == "one" and len(tokens) > 2 and tokens[1].lower_ == "of":
        tail = tokens[2:]
        return core.doc[tail[0].i:tail[-1].i].text + (" " if tail[-1].whitespace_ or len(tail) > 1 else "") + tail[-1].lemma_
    last_org = _final_organisation(core)
    if last_org is not None:
        k = last_org.start - 1
        while k > max(tokens[0].i, last_org.start - 7) and core.doc[k].pos_ != "ADP" and core.doc[k].text != ",":
            k -= 1
        if core.doc[k].pos_ == "ADP" and k > tokens[0].i:
            head = core.doc[tokens[0].i:k].text.rstrip(" ,")
            return f"{head}, {codes.strip_article(last_org.text)}"
    return core.doc[tokens[0].i:tokens[-1].i + 1].text


def _final_organisation(core: Span) -> Span | None:
    last = core[-1]
    return next((e for e in reversed(ents_in(core)) if e.label_ == "ORG" and e.end == last.i + 1), None)


def _organisation_sector(core: Span) -> str | None:
    """The sector of the organisation a role names ("... director of the Wilson Center" -> EDU)."""
    org_span = _final_organisation(core)
    if org_span is None:
        return None
    name = codes.strip_article(org_span.text)
    org = codes.find_organisation(name)
    if org is None:
        return codes.sector_of_org_name(name)
    country = codes.country_by_code(org.country)
    prefix = country.cameo if country else ""
    return org.actor[len(prefix):] or None if org.actor.startswith(prefix) and prefix else None


def role_of(ent: Span) -> Role | None:
    """The richest role the context gives a name: appositive first (it says more), then the premodifier."""
    pre = premodifier_role(ent)
    app = appositive_role(ent)
    if app is None:
        return pre
    if pre is not None:
        return Role(pre.text, pre.title or app.title, pre.country or app.country, app.description,
                    pre.sector or app.sector)
    return app
