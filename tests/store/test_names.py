"""Cross-article identity of actors: what makes two entities of two articles one row of the actors table."""

from __future__ import annotations

from dateline.store.names import actor_key, is_kb_actor, normalise_name


def test_a_full_name_is_one_actor_whatever_its_role_is_written_with() -> None:
    assert actor_key("Clara Brandt", "spokeswoman", None) == actor_key("Clara Brandt",
                                                                       "World Food Programme spokeswoman", None)
    assert actor_key("The Taliban", None, "af") == actor_key("taliban", None, "AF")
    assert actor_key("Imran Khan", "Prime Minister", "PK") != actor_key("Imran Khan", "Prime Minister", "AF")


def test_a_one_word_name_keeps_its_role_apart() -> None:
    assert actor_key("Khan", "minister", "PK") != actor_key("Khan", "farmer", "PK")
    assert actor_key("O'Brien", None, None) == actor_key("O’Brien", None, None)


def test_only_actors_reach_the_actors_table() -> None:
    assert is_kb_actor({"name": "Iraq", "type": "GPE", "is_actor": True})
    assert not is_kb_actor({"name": "a spokesman", "type": "PERSON", "is_actor": False})
    assert is_kb_actor({"name": "Taliban", "type": "ORG"})  # records written before the mark
    assert is_kb_actor({"name": "Pakistan", "type": "GPE", "actor": "PAK"})
    assert not is_kb_actor({"name": "Kabul", "type": "GPE"}) and not is_kb_actor(
        {"name": "a doctor", "type": "PERSON", "anonymous": True})
    assert normalise_name("Belarus’ Foreign Ministry") == "belarus foreign ministry"
