"""The knowledge base's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Table and column names are meant to read well in Datasette: plain nouns, ``article_id`` foreign keys,
``start_char``/``end_char`` offsets into ``articles.body``. Full-text search is dialect-specific and is
created by the migrations (``articles_fts`` in SQLite FTS5; a generated ``tsv`` column plus GIN index
in PostgreSQL); everything else is declared here.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
    Column("description", Text, nullable=False),
)

# One row per distinct article (id = sha256 of the normalised body). ``seq`` is the integer key the
# full-text index points at; ``story_id`` groups near-duplicate wire copies (the first copy's id).
articles = Table(
    "articles", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("story_id", String(64), nullable=False),
    Column("source_uri", Text, nullable=False),
    Column("source_format", String(16)),
    Column("url", Text),
    Column("title", Text),
    Column("byline", Text),  # names joined by "; "
    Column("publisher", Text),
    Column("published", String(10)),  # ISO date, month or year
    Column("published_precision", String(16)),
    Column("dateline_place", Text),
    Column("dateline_agency", Text),
    Column("language", String(16)),
    Column("body", Text, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("record", Text, nullable=False),  # the whole record as JSON, so the article reads back exactly
    Column("ingested_at", String(32), nullable=False),
    Index("ix_articles_published", "published"),
    Index("ix_articles_published_seq", "published", "seq"),  # newest-first pages walk this in order
    Index("ix_articles_story", "story_id"),
)

removed = Table(
    "removed", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String(32)),
    Column("text", Text),
    Column("date", String(10)),
)

media = Table(
    "media", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("alt_text", Text),
    Column("caption", Text),
    Column("credit", Text),
)

# Cross-article identity: one row per (normalised name, role, country).
actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("name_norm", String(300), nullable=False),
    Column("type", String(16)),
    Column("role", Text),
    Column("country", String(2)),
    Column("actor_code", String(32)),
    Index("ix_actors_name_norm", "name_norm"),
)

# An actor as it appears in one article (``local_id`` is the record's "e1").
entities = Table(
    "entities", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("local_id", String(32), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(16)),
    Column("role", Text),
    Column("country", String(2)),
    Column("actor_code", String(32)),
    Column("mention_count", Integer, nullable=False),
    Index("ix_entities_actor", "actor_id"),
)

mentions = Table(
    "mentions", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("entity_id", String(32), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text),
)

places = Table(
    "places", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("local_id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_norm", String(300), nullable=False),
    Column("geonames_id", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("feature", String(32)),
    Column("confidence", Float),
    Column("mention_count", Integer, nullable=False),
    Index("ix_places_name_norm", "name_norm"),
    Index("ix_places_country", "country"),
)

place_mentions = Table(
    "place_mentions", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("place_id", String(32), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text),
)

quotes = Table(
    "quotes", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("local_id", String(32), primary_key=True),
    Column("kind", String(16)),
    Column("content", Text),
    Column("content_start", Integer),
    Column("content_end", Integer),
    Column("cue", Text),
    Column("cue_lemma", String(64)),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("speaker_text", Text),
    Column("speaker_entity", String(32)),
    Column("speaker_actor_id", Integer, ForeignKey("actors.id")),
    Column("speaker_name", Text),
    Column("anonymous", Boolean, nullable=False),
    Column("anonymity_reason", Text),
    Column("speaker_description", Text),
    Column("denial", Boolean, nullable=False),
    Index("ix_quotes_speaker_actor", "speaker_actor_id"),
)

events = Table(
    "events", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("local_id", String(32), primary_key=True),
    Column("type", String(16)),
    Column("mode", String(32)),
    Column("source_text", Text),
    Column("source_entity", String(32)),
    Column("source_actor_id", Integer, ForeignKey("actors.id")),
    Column("source_actor_code", String(32)),
    Column("target_text", Text),
    Column("target_entity", String(32)),
    Column("target_actor_id", Integer, ForeignKey("actors.id")),
    Column("target_actor_code", String(32)),
    Column("place_id", String(32)),
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(2)),
    Column("date", String(10)),
    Column("date_text", Text),
    Column("day", String(10)),  # the event's date, else the article's publication date: what time series use
    Column("negated", Boolean, nullable=False),
    Column("attributed_to", String(32)),
    Column("evidence", Text),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("confidence", Float),
    Column("cluster_id", Integer),  # the happening it reports (event_clusters, dateline/store/across), migration 8
    Index("ix_events_type_day", "type", "day"),
    Index("ix_events_day", "day"),
    Index("ix_events_source_actor", "source_actor_id"),
    Index("ix_events_target_actor", "target_actor_id"),
)

# MinHash signatures of article bodies, so near-duplicate grouping survives across ingest runs.
signatures = Table(
    "signatures", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

# LSH band keys of each signature (dedup.py): a new article's near-duplicate candidates in one indexed query,
# without holding every signature of the archive in memory.
story_bands = Table(
    "story_bands", metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Index("ix_story_bands_key", "band_key"),
)

ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # sha256 of source + reason: one row per failure
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("reason_kind", String(64), nullable=False),
    Column("at", String(32), nullable=False),
)

# Input files fully ingested (their articles and errors committed); a re-run skips them.
ingest_journal = Table(
    "ingest_journal", metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("at", String(32), nullable=False),
)

# Rows written with each article by write.py (signatures and story_bands are written by dedup.StoryIndex).
ARTICLE_PARTS = (removed, media, mentions, entities, place_mentions, places, quotes, events)
