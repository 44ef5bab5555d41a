"""Actors of an article: resolution of mentions to actors, their roles, and which of them act (the KB's actors)."""
