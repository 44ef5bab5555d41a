"""The event coder's parts: trigger patterns (``patterns``), parse helpers (``parse``) and the learned type
scorer (``scoring``); the spaCy component that puts them together is ``dateline.nlp.components.events``."""
