"""Reading an actor's words: names and their keys, acronyms, display forms, trims of entity spans, and what the parse
says of a description (definite, in a source position, a role said of a name beside it, a possessor country).

Helpers of the resolver (dateline.nlp.actors.resolver), each a look at a few tokens: no state of their own.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from dateline.nlp import actor_codes as codes
from dateline.nlp.actors.records import Actor
from dateline.nlp.actors.roles import Role

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
GROUP_WORDS = {"group": ("militant", "group", "party", "ngo"), "movement": ("militant", "party"),
               "organisation": ("militant", "igo", "ngo", "group"), "organization": ("militant", "igo", "ngo", "group"),
               "insurgents": ("militant",), "militants": ("militant",), "militia": ("militant",),
               "agency": ("media", "state", "igo"), "alliance": ("igo",), "bloc": ("igo",)}
# What the text itself says of a person's gender: an honorific before the name or a gendered role word.
# (No first-name lists: names cross cultures and genders; a pronoun once resolved teaches the rest.)
HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                    "miss": "f", "madam": "f", "dame": "f", "lady": "f"}
ROLE_WORD_GENDER = {word: gender for gender, words in (
    ("m", "spokesman chairman congressman businessman king prince father husband son brother uncle "
          "grandfather nephew boy"),
    ("f", "spokeswoman chairwoman congresswoman businesswoman queen princess mother wife daughter sister aunt "
          "grandmother niece girl widow")) for word in words.split()}
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "his", "her", "their", "its"})


def member_organisation(text: str) -> codes.Organisation | None:
    """"United Nations World Food Programme": a dictionary organisation named with its parent's name before it."""
    words = text.split()
    for k in range(1, len(words)):
        if codes.find_organisation(" ".join(words[:k])) is not None:
            return codes.find_organisation(" ".join(words[k:]))
    return None


def stated_gender(span: Span, role: Role | None) -> str | None:
    """"m"/"f" from an honorific just before the name ("Mrs. Bhutto") or a gendered word in its role."""
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    honorific = HONORIFIC_GENDER.get(before) or HONORIFIC_GENDER.get(span[0].lower_)
    if honorific:
        return honorific
    words = (role.text or "").lower().split() if role is not None else []
    return next((ROLE_WORD_GENDER[w] for w in words if w in ROLE_WORD_GENDER), None)


def sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    if not (doc.has_annotation("DEP") or doc.has_annotation("SENT_START")):
        return index
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def is_title_fragment(span: Span) -> bool:
    """"Defense" in "Defense Minister X", "State" in "Secretary of State X": a title word the model took for a name."""
    doc = span.doc
    if len(span) > 2 or not all(t.lower_ in codes.office_title_words() for t in span):
        return False
    for left in range(0, 3):
        for right in range(0, 3):
            start, end = span.start - left, span.end + right
            if (left or right) and start >= 0 and end <= len(doc):
                title = codes.titles().get(doc[start:end].text.lower())
                if title is not None and title.office == "office":
                    return True
    return False


def trim(ent: Span) -> Span:
    """The entity without a leading "the" and a trailing possessive."""
    start, end = ent.start, ent.end
    if end - start > 1 and ent.doc[start].lower_ == "the":
        start += 1
    if end - start > 1 and ent.doc[end - 1].text in ("'s", "\u2019s", "'", "\u2019"):
        end -= 1
    return ent.doc[start:end]


def name_key(word: str) -> str:
    return word.lower().strip(".,'\u2019").removesuffix("'s")


def name_key_of(actor: Actor) -> str:
    return " ".join(name_key(w) for w in actor.name.split())


def display(text: str) -> str:
    """ALL-CAPS names are shown in title case ("IMRAN KHAN" -> "Imran Khan"); acronyms stay as they are."""
    if text.isupper() and len(text) > 5 and " " in text:
        return text.title()
    return text


def acronym(name: str) -> str | None:
    initials = [w[0] for w in name.replace("-", " ").split() if w[:1].isupper()]
    return "".join(initials) if len(initials) >= 2 else None


def heads_of(title: str) -> set[str]:
    """The description heads a title answers to: "prime minister" -> {"prime minister", "minister"}."""
    words = title.split()
    heads = {title, words[-1]}
    if words[-1].endswith("s"):
        heads.add(words[-1][:-1])
    return heads


def org_heads(kind: str) -> set[str]:
    return {word for word, kinds in GROUP_WORDS.items() if kind in kinds}


def clean_chunk(chunk: Span) -> Span:
    """The chunk from its last line break, coordinator or punctuation on ("2018\n\nAnalysts" -> "Analysts")."""
    start = chunk.start
    root = chunk.root.i
    for token in chunk:
        if token.i < root and (token.is_space or token.pos_ == "CCONJ" or "\n" in token.whitespace_
                                       or token.tag_ in ("WP$", "WDT", "WP")
                                       or token.is_punct and token.text not in ("-", "'s", "\u2019s")):
            start = token.i + 1
    return chunk.doc[start:chunk.end]


def country_possessor(span: Span) -> Span | None:
    """The country whose possessive opens an organisation's name ("Afghanistan" in "Afghanistan’s Ministry of …")."""
    for token in span[:4]:
        if token.text in ("'s", "\u2019s") and token.i > span.start:
            owner = span.doc[span.start:token.i]
            return owner if codes.country_named(owner.text) is not None else None
    return None


def is_role_of_name(root: Token, opening: int = 0) -> bool:
    """True for "Wahab's cousins" in "One of Wahab's cousins, Salman", "executive director of ..." after a name,
    "Prominent Pakistani cleric" before one, and predicates ("is a doctor"). The parser often hangs the story's
    first words on the dateline ("MUSCAT, Oman (MW) — Yemen's government and …"): no apposition of its place."""
    doc = root.doc
    if opening and root.dep_ == "appos" and root.head.idx < opening <= root.idx:
        return False
    if root.dep_ == "attr" or root.i + 1 < len(doc) and doc[root.i + 1].ent_type_ == "PERSON":
        return True
    token = root
    for _ in range(4):
        if token.dep_ == "appos" or any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in token.children):
            return True
        if token.head.ent_type_ == "PERSON" and token.dep_ in ("compound", "amod", "nmod", "appos"):
            return True
        if token.dep_ not in ("pobj", "prep") or token.head is token:
            return False
        token = token.head
    return False


def is_definite(chunk: Span) -> bool:
    first = chunk[0]
    return first.lower_ in DEFINITE_DETERMINERS or any(t.dep_ == "poss" for t in chunk.root.children)


def is_source_position(token: Token) -> bool:
    """Subjects, "according to X", "by X" (agent): where the sources and actors of news sentences stand."""
    if token.dep_ in SUBJECT_DEPS:
        return True
    if token.dep_ == "pobj":
        prep = token.head
        return prep.lower_ == "to" and prep.i > 0 and token.doc[prep.i - 1].lower_ == "according" or prep.dep_ == "agent"
    return False


def with_place(chunk: Span) -> Span:
    """"a doctor" + "in Chaman" when the place phrase follows at once."""
    doc = chunk.doc
    end = chunk.end
    if end + 1 < len(doc) and doc[end].lower_ in ("in", "from") and doc[end].head.i == chunk.root.i:
        obj = doc[end + 1]
        if obj.ent_type_ in ("GPE", "LOC"):
            last = end + 1
            while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
                last += 1
            return doc[chunk.start:last + 1]
    return chunk


def lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.lower() in ("a", "an", "the", "two", "three", "four", "several", "some", "many", "one", "his", "her",
                         "their", "its", "senior", "another", "other", "most"):
        return first.lower() + (" " + rest if rest else "")
    return text


def named_group_members(chunk: Span) -> bool:
    """"al-Shabab militants", "Houthi fighters": members named by their organisation, which is who acts."""
    return any(t.ent_type_ == "ORG" and t.i < chunk.root.i for t in chunk)


# Verbs whose subject "it" is often no one: copulas and raising verbs ("it seems", "it remains unclear").
EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "remain", "become", "happen", "matter", "take", "make", "look",
                             "rain", "mean", "cost", "help", "follow"})


def is_expletive_it(token: Token) -> bool:
    """"it is unclear whether …", "it was reported that …", "it seems": a subject "it" that stands for no one."""
    head = token.head
    if head.lemma_.lower() in EXPLETIVE_HEADS or head.pos_ not in ("VERB", "AUX"):
        return True
    return token.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in head.children)
