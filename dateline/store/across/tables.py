"""Tables of the across-article layer: claims, event clusters and sourcing counts (migration 8 creates them).

They are derived from the article parts (quotes, events) and filled at ingest by ``index_articles``: an
article is done once ``across_articles`` holds it, so re-running adds nothing twice and a database made
before this layer catches up article by article (``catch_up``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# Articles whose claims, clusters and sourcing counts are written (the layer's journal).
across_articles = Table(
    "across_articles", metadata,
    Column("article_id", String(64), primary_key=True),
)

# One claim: the same content from the same speaker (or copies that lost the speaker) across articles.
claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("speaker_key", String(320)),  # "a:<actor id>" or "n:<normalised name>" of its named speaker, if any
    Column("speaker_name", Text),
    Column("content", Text, nullable=False),  # the first appearance's words
    Column("first_article_id", String(64), nullable=False),
    Column("first_quote_id", String(32), nullable=False),
    Column("first_published", String(10)),
    Column("first_publisher", Text),
    Column("first_attribution", String(16), nullable=False),
    Column("last_published", String(10)),
    Column("appearances", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("denials", Integer, nullable=False),
    Column("lost_attribution", Boolean, nullable=False),  # named first, later anonymous or unattributed
    # Sort keys "<published or 9999>/<article seq>/<start>" kept as appearances join (no re-read of them all):
    # the first appearance's, the first named one's and the last one not named.
    Column("first_at", String(40), nullable=False),
    Column("first_named_at", String(40)),
    Column("last_unnamed_at", String(40)),
    Column("publishers", Text),  # JSON list of the outlets it appeared in (a joining appearance needs no re-read)
    Index("ix_claims_articles", "articles", "id"),
    Index("ix_claims_first_published", "first_published"),
)

# Each appearance of a claim (a quote, or a sentence restating it without attribution), and each denial
# quote (claim_id NULL: denials link to claims through claim_denials).
claim_appearances = Table(
    "claim_appearances", metadata,
    Column("article_id", String(64), primary_key=True),
    Column("quote_id", String(32), primary_key=True),  # the quote's local id, or "s<start>" for a sentence
    Column("claim_id", Integer),
    Column("kind", String(16), nullable=False),  # quote | statement | denial
    Column("attribution", String(16), nullable=False),  # named | anonymous | unattributed
    Column("speaker_key", String(320)),
    Column("speaker_name", Text),
    Column("content", Text, nullable=False),
    Column("start_char", Integer),
    Column("end_char", Integer),
    Column("published", String(10)),
    Column("publisher", Text),
    Index("ix_claim_appearances_claim", "claim_id", "published"),
)

# Band keys of each claim's wordings (an identical copy adds none: fifty wire copies are one wording) and of
# each denial (claim_id NULL); article_id/quote_id name the appearance whose words they hash.
claim_bands = Table(
    "claim_bands", metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("claim_id", Integer),
    Column("article_id", String(64), nullable=False),
    Column("quote_id", String(32), nullable=False),
    Index("ix_claim_bands_key", "band_key"),
)

claim_denials = Table(
    "claim_denials", metadata,
    Column("claim_id", Integer, primary_key=True),
    Column("article_id", String(64), primary_key=True),
    Column("quote_id", String(32), primary_key=True),
)

# One happening reported by one or more articles (events.cluster_id points here). Its place, actors and
# day are its first report's; ``numbers`` and ``sources`` list what the reports say, ``conflict`` when they differ.
event_clusters = Table(
    "event_clusters", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(16)),
    Column("day", String(10)),  # earliest report's day
    Column("last_day", String(10)),
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("source_actor_id", Integer),
    Column("target_actor_id", Integer),
    Column("first_article_id", String(64), nullable=False),
    Column("first_event_id", String(32), nullable=False),
    Column("reports", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("numbers", Text),  # JSON list of the distinct counts the reports give (killed, arrested …)
    Column("sources", Text),  # JSON list of the distinct perpetrators / sources the reports name
    Column("conflict", Boolean, nullable=False),
    Column("publishers", Text),  # JSON list of the outlets reporting it (kept so a report joins in O(1))
    Column("first_at", String(100)),  # sort key of the first report: "<published>/<day>/<article id>"
    Index("ix_event_clusters_type_day", "type", "day"),
    Index("ix_event_clusters_reports", "reports", "id"),
)

# Sourcing counts per (dimension, key, month), added to at ingest: publisher, month, country, type, actor.
SOURCING_COUNTS = ("quotes", "named", "anonymous", "with_reason",
                   "reason_safety", "reason_unauthorised", "reason_sensitive", "reason_investigation", "reason_other",
                   "kind_official", "kind_expert", "kind_witness", "kind_group", "kind_other")
sourcing_counts = Table(
    "sourcing_counts", metadata,
    Column("dimension", String(16), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("month", String(7), primary_key=True),
    *(Column(name, Integer, nullable=False) for name in SOURCING_COUNTS),
    Index("ix_sourcing_counts_dimension_month", "dimension", "month"),
)
