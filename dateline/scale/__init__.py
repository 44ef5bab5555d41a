"""scale/: the same ingest -> clean -> nlp -> record functions run inside Ray Data; no logic of its own."""
