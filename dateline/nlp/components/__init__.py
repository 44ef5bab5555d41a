"""dateline's spaCy components, one factory each, in pipeline order:
entity_ruler -> actors -> places -> quotes -> events."""
