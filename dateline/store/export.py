"""Exports: records as JSON Lines, and the records/quotes/events/GDELT-like tables as CSV or Parquet.

Rows are streamed from the database in chunks (``yield_per``), so memory stays flat on any size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, Select, select

from dateline.store import schema
from dateline.store.across.tables import event_clusters

A, V, Q, ACT = schema.articles, schema.events, schema.quotes, schema.actors
CHUNK = 2000
Format = Literal["jsonl", "csv", "parquet"]
TableName = Literal["records", "quotes", "events", "gdelt"]


def _records_query() -> Select[Any]:
    return select(A.c.id, A.c.story_id, A.c.source_uri, A.c.url, A.c.title, A.c.byline, A.c.publisher,
                  A.c.published, A.c.published_precision, A.c.dateline_place, A.c.language, A.c.word_count,
                  A.c.body).order_by(A.c.seq)


def _quotes_query() -> Select[Any]:
    return (select(Q.c.article_id, Q.c.local_id.label("quote_id"), A.c.published, A.c.url, Q.c.kind, Q.c.content,
                   Q.c.cue, Q.c.speaker_text, Q.c.speaker_name, Q.c.speaker_actor_id, Q.c.anonymous,
                   Q.c.anonymity_reason, Q.c.speaker_description, Q.c.denial, Q.c.content_start, Q.c.content_end)
            .join(A, A.c.id == Q.c.article_id).order_by(A.c.seq, Q.c.local_id))


def _events_query() -> Select[Any]:
    return (select(V.c.article_id, V.c.local_id.label("event_id"), V.c.type, V.c.mode, V.c.source_text,
                   V.c.source_actor_id, V.c.source_actor_code, V.c.target_text, V.c.target_actor_id,
                   V.c.target_actor_code, V.c.place_name, V.c.lat, V.c.lon, V.c.country, V.c.date, V.c.day,
                   V.c.negated, V.c.attributed_to, V.c.evidence, V.c.confidence)
            .join(A, A.c.id == V.c.article_id).order_by(A.c.seq, V.c.local_id))


def _gdelt_query() -> Select[Any]:
    """One row per event, in the spirit of GDELT's event table: who, did what (PLOVER), to whom, where, when."""
    src, dst = ACT.alias("src"), ACT.alias("dst")
    return (select((A.c.id + ":" + V.c.local_id).label("GlobalEventID"), V.c.day.label("Day"),
                   V.c.source_actor_code.label("Actor1Code"), src.c.name.label("Actor1Name"),
                   src.c.country.label("Actor1CountryCode"), V.c.target_actor_code.label("Actor2Code"),
                   dst.c.name.label("Actor2Name"), dst.c.country.label("Actor2CountryCode"),
                   V.c.type.label("EventType"), V.c.mode.label("EventMode"), V.c.negated.label("IsNegated"),
                   V.c.place_name.label("ActionGeo_FullName"), V.c.country.label("ActionGeo_CountryCode"),
                   V.c.lat.label("ActionGeo_Lat"), V.c.lon.label("ActionGeo_Long"),
                   V.c.confidence.label("Confidence"), A.c.published.label("DateAdded"),
                   A.c.url.label("SourceURL"), A.c.source_uri.label("SourceURI"), V.c.evidence.label("Evidence"),
                   # One happening reported by several articles shares a cluster_id: count distinct ones, not rows.
                   V.c.cluster_id.label("cluster_id"), event_clusters.c.reports.label("n_reports"))
            .join(A, A.c.id == V.c.article_id)
            .outerjoin(event_clusters, event_clusters.c.id == V.c.cluster_id)
            .outerjoin(src, src.c.id == V.c.source_actor_id).outerjoin(dst, dst.c.id == V.c.target_actor_id)
            .order_by(A.c.seq, V.c.local_id))


QUERIES = {"records": _records_query, "quotes": _quotes_query, "events": _events_query, "gdelt": _gdelt_query}


def _chunks(engine: Engine, query: Select[Any]) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(query)
        columns = list(result.keys())
        for part in result.partitions(CHUNK):
            yield columns, [tuple(row) for row in part]


def export(engine: Engine, out: Path, fmt: Format, table: TableName = "records") -> int:
    """Write one table to ``out``; returns the number of rows. jsonl of records writes whole records."""
    if table not in QUERIES:
        raise ValueError(f"unknown table {table!r}: one of {', '.join(QUERIES)}")
    if fmt == "jsonl":
        return _write_jsonl(engine, out, table)
    if fmt == "csv":
        return _write_csv(engine, out, QUERIES[table]())
    if fmt == "parquet":
        return _write_parquet(engine, out, QUERIES[table]())
    raise ValueError(f"unknown format {fmt!r}: jsonl, csv or parquet")


def _write_jsonl(engine: Engine, out: Path, table: TableName) -> int:
    rows = 0
    with out.open("w", encoding="utf-8") as sink:
        if table == "records":
            for _, chunk in _chunks(engine, select(A.c.record).order_by(A.c.seq)):
                for (record,) in chunk:
                    sink.write(record + "\n")
                    rows += 1
            return rows
        for columns, chunk in _chunks(engine, QUERIES[table]()):
            for row in chunk:
                sink.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
                rows += 1
    return rows


def _write_csv(engine: Engine, out: Path, query: Select[Any]) -> int:
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        header_written = False
        for columns, chunk in _chunks(engine, query):
            if not header_written:
                writer.writerow(columns)
                header_written = True
            writer.writerows(chunk)
            rows += len(chunk)
        if not header_written:
            writer.writerow([c.name for c in query.selected_columns])
    return rows


def _write_parquet(engine: Engine, out: Path, query: Select[Any]) -> int:
    rows = 0
    writer: pq.ParquetWriter | None = None
    schema_: pa.Schema | None = None
    try:
        for columns, chunk in _chunks(engine, query):
            batch = pa.table({name: [row[i] for row in chunk] for i, name in enumerate(columns)})
            if writer is None:
                schema_ = _arrow_schema(query)
                writer = pq.ParquetWriter(str(out), schema_)
            writer.write_table(batch.cast(schema_))
            rows += len(chunk)
        if writer is None:  # no rows: still a valid file with the columns
            empty_schema = _arrow_schema(query)
            pq.write_table(empty_schema.empty_table(), str(out))
    finally:
        if writer is not None:
            writer.close()
    return rows


_ARROW_TYPES = {"INTEGER": pa.int64(), "BIGINT": pa.int64(), "FLOAT": pa.float64(), "BOOLEAN": pa.bool_()}


def _arrow_schema(query: Select[Any]) -> pa.Schema:
    """Arrow types from the SQL column types, so a first chunk full of nulls cannot fix a column as null."""
    fields = []
    for column in query.selected_columns:
        sql_type = str(column.type).split("(")[0].upper()
        fields.append(pa.field(column.name, _ARROW_TYPES.get(sql_type, pa.string())))
    return pa.schema(fields)
