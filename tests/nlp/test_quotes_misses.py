"""The evaluation's report of missed speech attributions, and PolNeAR's span convention for '' marks
(documents written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

from dateline.eval.quotes import missed_speech, polnear_content


def test_doubled_apostrophes_widen_to_polnear_content() -> None:
    text = "''We will win,'' she said."
    quote = {"content": {"start": 2, "end": 14}}
    assert text[slice(*polnear_content(text, quote))] == "''We will win,''"


def test_missed_speech_groups_what_is_not_found(tmp_path: Path) -> None:
    text = ("The mayor said the bridge would reopen in May. Reopening the bridge, she thinks, matters most. "
            "Traffic will be light.")
    said, thinks = text.index("said"), text.index("thinks")
    content = text.index("the bridge would"), text.index(". Reopening")
    document = {"id": "d1", "text": text, "quotes": [
        # found by dateline: not listed
        {"content": {"start": content[0], "end": content[1], "text": text[content[0]:content[1]]},
         "cue": {"start": said, "end": said + 4, "text": "said"},
         "source": {"start": 0, "end": 9, "text": "The mayor"}},
        # a belief cue: outside the speech figure, not listed
        {"content": {"start": text.index("Reopening"), "end": text.index(" Traffic") - 1, "text": "Reopening …"},
         "cue": {"start": thinks, "end": thinks + 6, "text": "thinks"},
         "source": {"start": thinks - 4, "end": thinks - 1, "text": "she"}},
        # a speech cue with a content dateline does not find: listed
        {"content": {"start": text.index("Traffic"), "end": len(text) - 1, "text": "Traffic will be light"},
         "cue": {"start": said, "end": said + 4, "text": "said"}, "source": None},
    ]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(document) + "\n", encoding="utf-8")
    assert missed_speech(gold) == {"say | cue<content | VERB/ROOT | source none": 1}
