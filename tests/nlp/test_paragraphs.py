from dateline.nlp.pipeline import build_nlp


def test_a_paragraph_break_starts_a_sentence():
    nlp = build_nlp(components=())
    doc = nlp("The ministry said it was fine and\n\nthe next paragraph begins here. And more")
    starts = [sent.text.strip() for sent in doc.sents]
    assert "the next paragraph begins here." in starts
    assert starts[0] == "The ministry said it was fine and"
