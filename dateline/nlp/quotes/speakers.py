"""Step 4: speakers resolved and labelled named or anonymous.

A source is named when the article gives its name: directly ("Maria Lopez said"), in apposition ("the ministry's
spokeswoman, Maria Lopez, said"), or through a pronoun or definite description that resolves to a named speaker
or actor ("The chief said" after "Police Chief Daniel Okafor said"). An organisation or state speaking as
itself is named ("the ministry", "Kenya", "police"). Unnamed people and groups ("a senior official", "two
aides", "Republicans", "critics", "environmental groups") and documents without a named author ("records
show", "some recent polls", "a leaked memo") are anonymous. The noun classes are in
``patterns/quotes/source_nouns.tsv``; the actors' mention chains (``doc._.dateline_actors``) are asked
first for names, the parse and the earlier speakers for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span, Token

from dateline.nlp.quotes.attribution import Speaker
from dateline.nlp.quotes.lexicon import Lexicon, cue_flags, load_lexicon
from dateline.nlp.quotes.tokens import NAMED_LABELS, SUBJECT_DEPS, edge_trimmed
from dateline.nlp.spans import MentionIndex

CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "—", "–", "\"", "“", "”"})
SPEAKER_BREAK_DEPS = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl"})
PERSONAL_PRONOUNS = {"he": "sing", "she": "sing", "him": "sing", "her": "sing", "they": "plur", "them": "plur",
                     "it": "thing", "we": "plur", "i": "sing", "you": "sing"}
# Quantifiers standing for an earlier plural ("Both spoke on condition of anonymity", "Some warned ...").
PLURAL_PRONOUNS = frozenset({"both", "all", "some", "many", "several", "most", "few", "others"})
DETERMINERS_OF_DESCRIPTIONS = frozenset({"a", "an", "the", "two", "three", "four", "several", "some", "many",
                                         "one", "his", "her", "their", "its", "other", "another"})
INDEFINITE_DETERMINERS = frozenset({"a", "an", "some", "several", "many", "various", "other", "another", "few",
                                    "numerous", "most", "any"})
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
AUTHOR_PREPOSITIONS = frozenset({"by", "from", "of"})
# Institution nouns that stand for whichever named body was just speaking ("the agency", "the group").
GENERIC_BODIES = frozenset({"agency", "organization", "organisation", "group", "body", "company", "firm",
                            "institution", "government", "administration", "authority"})
NAME_ENDS = frozenset({",", ")", "—", "–", ".", "!", "?", ";", "\"", "”"})  # what may follow a name in apposition
# Words that state a person's gender, in a speaker's own words or its apposition ("spokeswoman Sadia Noor",
# "Ali Khan, her husband"), and the pronouns resolved to it: a "he" is not someone known as a "she".
FEMININE = frozenset({"she", "spokeswoman", "chairwoman", "congresswoman", "businesswoman", "councilwoman",
                      "policewoman", "woman", "mother", "wife", "daughter", "sister", "grandmother", "aunt", "niece",
                      "girl", "queen", "princess", "actress", "widow", "mrs", "mrs.", "ms", "ms.", "madam", "lady",
                      "dame"})
MASCULINE = frozenset({"he", "spokesman", "chairman", "congressman", "businessman", "councilman", "policeman",
                       "man", "father", "husband", "son", "brother", "grandfather", "uncle", "nephew", "boy", "king",
                       "prince", "widower", "mr", "mr.", "sir", "lord"})
RECENT_SENTENCES = 2  # a pronoun's antecedent among the speakers of this sentence and the two before it
QUOTE_LOOKBACK_CHARS = 3000  # how far back an open quotation mark is looked for


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
    whole = sorted(t for t in whole if t.i > cut and not _inside_clause(t, head))
    after = next((t.i for t in whole if t.i > head.i and t.text in CLAUSE_PUNCT), None)
    if after is not None:  # "an aide to the governor, who spoke ...": the description stops at the comma
        whole = [t for t in whole if t.i < after]
    phrase = sorted(t for t in head.subtree if t.i > cut and not t.is_space)
    return naming, _longest_run_through(whole, head), _longest_run_through(phrase, head)


def _inside_clause(token: Token, head: Token) -> bool:
    """The token hangs, below ``head``, on a relative clause, participle or appositive."""
    return any(a.dep_ in ("relcl", "acl", "appos") for a in _ancestors_to(token, head))


def _longest_run_through(tokens: list[Token], head: Token) -> list[Token]:
    ids = {t.i for t in tokens}
    lo = hi = head.i
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    return edge_trimmed([t for t in tokens if lo <= t.i <= hi]) or [head]


def _appositive(head: Token) -> str | None:
    for child in head.children:
        if child.dep_ == "appos":
            tokens = [t for t in child.subtree if not any(a.dep_ in ("relcl", "acl") and a.i != child.i
                                                           for a in _ancestors_to(t, child))]
            tokens = edge_trimmed(sorted(tokens, key=lambda t: t.i))
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


def _appositive_name(head: Token, lexicon: Lexicon) -> Span | None:
    """A person's name set off by commas after a description heading the subject: "the ministry's spokeswoman,
    Maria Lopez, said", also when the parser hangs the name on a noun inside the description ("A spokesman for
    the Ministry of Foreign Affairs, Hamidullah Zahid, denied"). A name hung on another person inside the
    description is that person's ("an aide to the minister, Ali Khan"); a list ("X, Y and Z") is no apposition."""
    doc = head.doc
    for token in (t for t in head.subtree if t.i > head.i):
        if token.ent_type_ != "PERSON" or token.ent_iob_ != "B":
            continue
        name = _entity_around(token)
        first = name.start
        while first > head.i + 1 and doc[first - 1].dep_ in ("compound", "amod") and doc[first - 1].head.i in \
                range(name.start, name.end):
            first -= 1  # a title before the name: "An RSF commander, Brigadier Hamdan Abakar, told"
        if first == 0 or doc[first - 1].text != ",":
            continue
        if name.end < len(doc) and doc[name.end].text not in NAME_ENDS and doc[name.end].i != head.head.i \
                and not doc[name.end].is_space:
            continue
        holder = name.root.head
        if holder.i != head.i and (holder.ent_type_ == "PERSON" or holder.lemma_.lower() in lexicon.person_nouns):
            continue
        if any(a.dep_ in ("relcl", "acl") for a in _ancestors_to(name.root, head)):
            continue
        if any(t.dep_ == "cc" and not _inside_clause(t, head) for t in doc[head.i + 1:first]):
            continue  # "the minister, his deputy and Ali Khan": a list
        return name
    return None


def _looks_proper(name: str) -> bool:
    first = name.split()[0] if name.split() else ""
    return bool(first) and first[0].isupper() and first.lower() not in DETERMINERS_OF_DESCRIPTIONS


def _actor_is_named(actor: dict[str, Any]) -> bool:
    """The actors component says whether a person is unnamed; other actors count as named when their
    name looks like a proper name ("Government of Pakistan", not "the ministry")."""
    if "anonymous" in actor:
        return not actor["anonymous"]
    return actor.get("type") in NAMED_LABELS and _looks_proper(actor.get("name") or "")


def _is_plural(head: Token, lexicon: Lexicon) -> bool:
    """A plural noun; a plural listed in the source nouns on its own ("authorities") is one collective body."""
    if head.lower_ in lexicon.institution_nouns:
        return False
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" and c.lower_ != "one" for c in head.children)


def _determiner(head: Token) -> str | None:
    """The word that makes a description definite or not: its article, a quantifier ("several diplomats"),
    a number (indefinite: "two aides") or a possessor (definite: "the company's chief executive")."""
    for child in head.children:
        if child.i > head.i:
            break
        if child.dep_ == "det" or (child.dep_ == "amod" and child.lower_ in INDEFINITE_DETERMINERS):
            return child.lower_
        if child.dep_ == "nummod":
            return "a"
        if child.dep_ == "poss":
            return "the"
    return None


def _is_group_of_people(head: Token) -> bool:
    """A proper plural standing for people, not a body speaking as itself: "Republicans", "many Afghans"."""
    return head.tag_ == "NNPS" or (head.ent_type_ == "NORP" and head.tag_ in ("NNS", "NNPS")) or (
        head.ent_type_ in ("NORP", "") and head.lower_ != head.lemma_.lower() and head.lower_.endswith("s"))


def _author(head: Token) -> Token | None:
    """Who wrote a document speaker: a possessor or compound name ("the ministry's figures", "the Pentagon
    report") or the object of "by"/"from"/"of" ("a report by Human Rights Watch")."""
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
        if child.dep_ == "compound" and (child.ent_type_ in NAMED_LABELS or child.pos_ == "PROPN"):
            return child
        if child.dep_ == "prep" and child.lower_ in AUTHOR_PREPOSITIONS:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in NAMED_LABELS or obj.pos_ == "PROPN"):
                return obj
    return None


def _title_words(head: Token) -> set[str]:
    """The nouns a definite description may use for a speaker: its head and the titles around its name
    ("Police Chief Daniel Okafor": chief, police; "Colonel Mark Reid, the base commander": colonel, commander)."""
    words = {head.lemma_.lower()}
    for child in head.children:
        if child.dep_ == "compound" and child.i < head.i or child.dep_ == "appos":
            words.add(child.lemma_.lower())
    return words


class SpeakerResolver:
    """Turns speaker heads into Speakers in reading order, remembering earlier ones for pronouns,
    definite descriptions and cue-less continuations. The actors component is asked for names; pronouns
    and descriptions are resolved here to earlier speakers and subjects, the actors' chains next."""

    def __init__(self, doc: Doc, text: str, lexicon: Lexicon, actors: MentionIndex | None = None) -> None:
        self.doc = doc
        self.text = text  # doc.text, built once
        self.actors = actors if actors is not None else MentionIndex(doc._.dateline_actors)
        self.lexicon = lexicon
        self.history: list[Speaker] = []
        self.by_actor: dict[str, Speaker] = {}  # an actor id (of the head or of its name) -> its latest speaker
        self.titles: dict[int, set[str]] = {}  # id(speaker) -> the nouns a definite description may use for it
        self.genders: dict[str, str] = {}  # speaker key -> "f" or "m", when the text states it

    def resolve(self, head: Token) -> Speaker:
        head = _reporter_of_conjoined_cue(head, self.lexicon)
        naming, whole, phrase = _speaker_tokens(head)
        start, end = naming[0].idx, naming[-1].idx + len(naming[-1])
        speaker = Speaker(start, end, head, self.text[start:end], key=f"@{start}",
                          phrase=(phrase[0].idx, phrase[-1].idx + len(phrase[-1])))
        actor = self.actors.covering(head.idx, head.idx + len(head))
        if actor is not None:
            speaker.entity, speaker.key = actor.get("id"), str(actor.get("id"))
        description = self.doc[whole[0].i:whole[-1].i + 1].text
        name = None if head.pos_ == "PROPN" or head.ent_type_ in NAMED_LABELS else _appositive_name(head, self.lexicon)
        if head.pos_ == "PRON" or head.lower_ in PERSONAL_PRONOUNS or head.lower_ in PLURAL_PRONOUNS:
            self._from_antecedent(speaker, actor)
        elif name is not None:
            self._named_in_apposition(speaker, name, description)
        elif head.pos_ == "PROPN" or head.ent_type_ in NAMED_LABELS:
            self._as_name(speaker, naming, description, actor)
        else:
            self._as_description(speaker, description, actor)
        self._remember(speaker, actor)
        return speaker

    def _remember(self, speaker: Speaker, actor: dict[str, Any] | None) -> None:
        self.history.append(speaker)
        self.titles[id(speaker)] = _title_words(speaker.head)
        stated = _gender_of_words(f"{speaker.text} {speaker.description or ''}")
        if stated is not None and speaker.key not in self.genders:
            self.genders[speaker.key] = stated
        for ident in (speaker.entity, actor.get("id") if actor else None):
            if ident:
                self.by_actor[str(ident)] = speaker

    def _named_in_apposition(self, speaker: Speaker, name: Span, description: str) -> None:
        actor = self.actors.covering(name.start_char, name.end_char)
        speaker.end = name.end_char
        speaker.text = self.text[speaker.start:speaker.end]
        speaker.name = actor.get("name") if actor is not None and _actor_is_named(actor) else name.text
        speaker.entity = actor.get("id") if actor is not None else None
        speaker.key = str(actor.get("id")) if actor is not None else f"@{name.start_char}"
        speaker.description = description

    def _as_name(self, speaker: Speaker, naming: list[Token], description: str, actor: dict[str, Any] | None) -> None:
        head = speaker.head
        if _is_group_of_people(head):  # "Republicans", "many Afghans": people, not a body speaking as itself
            speaker.name = speaker.description = description
            speaker.anonymous = True
            return
        ent = _named_entity_in([head]) or _named_entity_in(naming)
        named_actor = actor is not None and _actor_is_named(actor)
        speaker.name = actor.get("name") if actor and named_actor else ent.text if ent else speaker.text
        speaker.description = _appositive(head)

    def _noun_class(self, head: Token) -> str:
        lemma = head.lemma_.lower()
        for noun_class, nouns in (("document", self.lexicon.document_nouns),
                                  ("institution", self.lexicon.institution_nouns),
                                  ("person", self.lexicon.person_nouns)):
            if lemma in nouns or head.lower_ in nouns:
                return noun_class
        return "person"  # an unlisted noun that speaks is most likely a person ("the deputy", "conservatives")

    def _as_description(self, speaker: Speaker, description: str, actor: dict[str, Any] | None) -> None:
        head = speaker.head
        lemma = head.lemma_.lower()
        noun_class = self._noun_class(head)
        speaker.description = speaker.name = description
        if noun_class == "document" and self._by_author(speaker, head):
            return
        if actor is not None and _actor_is_named(actor) and head.lower_ not in (actor.get("name") or "").lower():
            speaker.name = actor.get("name")  # "the doctor" who was named before
            speaker.description = None
            return
        definite = _determiner(head) in DEFINITE_DETERMINERS and not _is_plural(head, self.lexicon)
        earlier = self._latest(lambda s: s.key == speaker.key) if actor is not None else None
        if earlier is None and definite:
            earlier = self._earlier_description(head, noun_class)
        if earlier is not None:  # "the doctor" after "a doctor in Chaman", "the chief" after "Police Chief X"
            self._copy(earlier, speaker)
            return
        if definite and noun_class == "document":
            issued = self._issuer_of_earlier(head)
            if issued is not None:  # "In a statement, the ministry said … The statement blamed …": the ministry
                self._copy(issued, speaker)
                return
        titled = self._named_actor_titled(head) if definite else None
        if titled is not None:  # "Daniel Okafor, the police chief, arrived … The chief said": not a speaker yet
            speaker.name, speaker.entity, speaker.key = titled.get("name"), titled.get("id"), str(titled.get("id"))
            speaker.description = None
            return
        if noun_class == "institution":
            unnamed = _is_plural(head, self.lexicon) or _determiner(head) in INDEFINITE_DETERMINERS
            speaker.anonymous = unnamed or bool(actor and actor.get("anonymous"))
            return
        speaker.anonymous = True  # an unnamed person, group or document
        if lemma in self.lexicon.person_nouns and self._is_definite(head):
            earlier = self._latest(lambda s: s.head.lemma_.lower() == lemma and s.anonymous)
            if earlier is not None:
                speaker.key = earlier.key
                speaker.anonymity_reason = earlier.anonymity_reason

    def _by_author(self, speaker: Speaker, head: Token) -> bool:
        """A document with a named author speaks for it ("a report by Human Rights Watch" is Human Rights Watch)."""
        author = _author(head)
        if author is None:
            return False
        actor = self.actors.covering(author.idx, author.idx + len(author))
        if actor is not None and _actor_is_named(actor):
            speaker.name, speaker.entity, speaker.key = actor.get("name"), actor.get("id"), str(actor.get("id"))
        elif author.ent_type_ in NAMED_LABELS:
            ent = _entity_around(author)
            speaker.name, speaker.key = ent.text, f"@{ent.start_char}"
        else:
            return False
        return True

    def _earlier_description(self, head: Token, noun_class: str) -> Speaker | None:
        """The earlier speaker a definite description refers to: one whose phrase holds the same noun ("the chief"
        after "Police Chief Daniel Okafor", "the office" after "Pakistan's Foreign Office", "the report" after
        "a report by ..."), or for a generic body ("the agency") the latest named organisation."""
        lemma = head.lemma_.lower()
        same = self._latest(lambda s: s.head.i != head.i and lemma in self.titles.get(id(s), ()))
        bare = all(c.dep_ == "det" for c in head.children if c.i < head.i)  # "the agency", not "Niger's government"
        if same is not None or noun_class != "institution" or lemma not in GENERIC_BODIES or not bare:
            return same
        return self._latest(lambda s: not s.anonymous and s.head.ent_type_ == "ORG")

    def _issuer_of_earlier(self, head: Token) -> Speaker | None:
        """For "the statement": the speaker of the sentence where a statement was last mentioned."""
        lemma = head.lemma_.lower()
        floor = self._sentence_start_before(head, 3)
        earlier = next((t for t in reversed(self.doc[floor:head.sent.start]) if t.lemma_.lower() == lemma), None)
        if earlier is None:
            return None
        sentence = earlier.sent.start
        return self._latest(lambda s: s.head.sent.start == sentence and s.head.i != earlier.i)

    def _named_actor_titled(self, head: Token) -> dict[str, Any] | None:
        """The named person of the actors whose role has the description's noun and who was mentioned last
        before it ("the chief" -> the actor with role "police chief")."""
        lemma = head.lemma_.lower()
        best: tuple[int, dict[str, Any]] | None = None
        for actor in self.doc._.dateline_actors or []:
            if actor.get("type") != "PERSON" or not _actor_is_named(actor):
                continue
            if lemma not in (actor.get("role") or "").lower().split():
                continue
            before = [m["start"] for m in actor.get("mentions", []) if m["start"] < head.idx]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), actor)
        return best[1] if best is not None else None

    @staticmethod
    def _is_definite(head: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "his", "her", "their", "its", "that", "those")
                   for c in head.children)

    def _from_antecedent(self, speaker: Speaker, actor: dict[str, Any] | None) -> None:
        """A pronoun: the speaker of this sentence before it, else the first subject of the sentence before
        (centering: the subject is the likeliest antecedent), else a recent speaker of the same number, else
        the actors' chain."""
        head = speaker.head
        number = "plur" if head.lower_ in PLURAL_PRONOUNS else PERSONAL_PRONOUNS.get(head.lower_, "sing")
        gender = _gender_of_words(head.lower_)

        def fits(candidate: Speaker) -> bool:  # no stated gender against the pronoun's
            return gender is None or self.genders.get(candidate.key, gender) == gender

        sentence = head.sent.start
        antecedent = self._latest(lambda s: s.head.sent.start == sentence and s.head.i < head.i
                                  and number_of(s.head) == number and s.head.pos_ != "PRON" and fits(s))
        subject = previous_subject(head, number, self.text) if antecedent is None else None
        if subject is not None:
            antecedent = self._latest(lambda s: s.head.i == subject.i) or self._describe(subject)
            if not fits(antecedent):
                antecedent = None
        recent = self._sentence_start_before(head, RECENT_SENTENCES)
        if antecedent is None:
            antecedent = self._latest(lambda s: recent <= s.head.i < head.i and _agrees(s, number) and fits(s))
        elif gender == "f" and antecedent.key not in self.genders:
            # most sources news names are men: "she" goes to a recent source stated to be a woman rather than
            # to one whose gender is not stated ("Spokeswoman Sadia Noor said … Ali Shah said … She added")
            antecedent = self._latest(lambda s: recent <= s.head.i < head.i and self.genders.get(s.key) == "f") \
                or antecedent
        if antecedent is None and actor is not None:
            antecedent = self.by_actor.get(str(actor.get("id")))
            if antecedent is None:
                speaker.name = actor.get("name")
                speaker.anonymous = not _actor_is_named(actor)
                speaker.description = actor.get("description") or actor.get("name") if speaker.anonymous else None
                return
        if antecedent is None:
            antecedent = self._latest(lambda s: _agrees(s, number) and fits(s))
        if antecedent is None:
            speaker.name = speaker.text
            return
        self._copy(antecedent, speaker)
        if gender is not None:
            self.genders.setdefault(speaker.key, gender)  # "she said" tells who the speaker is

    def _sentence_start_before(self, token: Token, sentences: int) -> int:
        start = token.sent.start
        for _ in range(sentences):
            if start == 0:
                break
            start = self.doc[start - 1].sent.start
        return start

    @staticmethod
    def _copy(antecedent: Speaker, speaker: Speaker) -> None:
        for attribute in ("entity", "name", "anonymous", "anonymity_reason", "description", "key"):
            setattr(speaker, attribute, getattr(antecedent, attribute))

    def _describe(self, head: Token) -> Speaker:
        """A speaker for an antecedent that has not spoken yet (kept out of the history)."""
        resolver = SpeakerResolver(self.doc, self.text, self.lexicon, self.actors)
        resolver.history = list(self.history)
        resolver.by_actor = dict(self.by_actor)
        resolver.titles = dict(self.titles)
        resolver.genders = dict(self.genders)
        return resolver.resolve(head)

    def _latest(self, wanted: Any) -> Speaker | None:
        for earlier in reversed(self.history[-50:]):
            if wanted(earlier):
                return earlier
        return None


def _gender_of_words(text: str) -> str | None:
    words = set(text.lower().replace(",", " ").split())
    feminine, masculine = bool(words & FEMININE), bool(words & MASCULINE)
    return "f" if feminine and not masculine else "m" if masculine and not feminine else None


def _agrees(speaker: Speaker, number: str) -> bool:
    """A speaker a pronoun of ``number`` may stand for (a pronoun speaker only once resolved to someone)."""
    if speaker.head.pos_ == "PRON" and (speaker.name or speaker.text) == speaker.text:
        return False
    return _compatible(speaker.head, number)


def _compatible(head: Token, number: str) -> bool:
    """The noun agrees with a pronoun's number; an unlisted singular noun may be a person or a body."""
    found = number_of(head)
    if found == number:
        return True
    lexicon = load_lexicon()
    lemma = head.lemma_.lower()
    unlisted = head.pos_ == "NOUN" and not head.ent_type_ and lemma not in lexicon.person_nouns \
        and lemma not in lexicon.institution_nouns and lemma not in lexicon.document_nouns
    return unlisted and found == "sing" and number == "thing"


def _inside_quotes(token: Token, text: str) -> bool:
    """The token is inside quotation marks opened earlier in its paragraph (``text`` is doc.text, built once)."""
    floor = max(0, token.idx - QUOTE_LOOKBACK_CHARS)  # bounded: a huge paragraph costs no more than this per word
    before = text[text.rfind("\n", floor, token.idx) + 1 or floor:token.idx]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def source_key(head: Token, actors: MentionIndex) -> str:
    """The key a speaker headed by ``head`` gets when it is not resolved further (for matching a sentence's
    subject to the speakers, as the anonymity step does)."""
    actor = actors.covering(head.idx, head.idx + len(head))
    if actor is not None:
        return str(actor.get("id"))
    naming, _, _ = _speaker_tokens(head)
    return f"@{naming[0].idx}"


def _reporter_of_conjoined_cue(head: Token, lexicon: Lexicon) -> Token:
    """"He said that the problems were an internal matter and urged Islamabad to ...": the parser hangs the
    second cue on the reported clause, whose subject (a thing that cannot speak) it borrows; the speaker is
    the reporter of that clause."""
    verb = head.head
    if head.dep_ not in SUBJECT_DEPS or head.pos_ in ("PRON", "PROPN") or head.ent_type_ in NAMED_LABELS:
        return head
    lemma = head.lemma_.lower()
    if lemma in lexicon.person_nouns or lemma in lexicon.institution_nouns or lemma in lexicon.document_nouns:
        return head
    if verb.dep_ != "ccomp" or cue_flags(verb, lexicon) is not None:
        return head
    if not any(c.dep_ == "conj" and cue_flags(c, lexicon) is not None for c in verb.children):
        return head
    reporter = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    return reporter if reporter is not None and cue_flags(verb.head, lexicon) is not None else head


def number_of(head: Token) -> str:
    if head.lower_ in PERSONAL_PRONOUNS:
        return PERSONAL_PRONOUNS[head.lower_]
    if head.lower_ in PLURAL_PRONOUNS:
        return "plur"
    if head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" and c.lower_ != "one" for c in head.children):
        return "plur"
    lexicon = load_lexicon()
    lemma = head.lemma_.lower()
    if head.ent_type_ == "PERSON" or lemma in lexicon.person_nouns:
        return "sing"
    if head.pos_ == "PROPN" and head.ent_type_ not in NAMED_LABELS:
        return "sing"  # an unknown name that speaks is most likely a person's
    if head.pos_ == "NOUN" and not head.ent_type_ and lemma not in lexicon.institution_nouns \
            and lemma not in lexicon.document_nouns:
        return "sing"  # an unlisted noun is read as a person ("a pharmacist"), as the labels read it
    return "thing"  # a country, a body, a document: "it"


def previous_subject(pronoun: Token, number: str, text: str) -> Token | None:
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
        if token.dep_ in SUBJECT_DEPS and token.pos_ not in ("PRON", "SPACE") and not _inside_quotes(token, text):
            return token if _compatible(token, number) else None  # a subject inside a quote is no antecedent
    return None
