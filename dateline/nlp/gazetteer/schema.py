"""The gazetteer file's tables; a new SCHEMA_VERSION makes readers rebuild an older file."""

SCHEMA_VERSION = "4"

SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,      -- the GeoNames id, or a negative id for hand-curated features
    geonames_id INTEGER,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,          -- country | admin1 | admin2 | capital | city | town | village | border | region | ...
    country TEXT,                -- ISO 3166-1 alpha-2
    admin1 TEXT,                 -- name of the first-level division
    lat REAL, lon REAL,
    population INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX place_kind ON place (kind, country);
CREATE TABLE name (
    key TEXT NOT NULL,           -- keys.name_key() of the name
    place INTEGER NOT NULL,
    main INTEGER NOT NULL,       -- 1 for the place's own name, 0 for an alternate name
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
"""
