"""Table definitions, in one place: DDL, bulk-load column types and export columns all come from here.

The export tables (documents, entities, dates, quantities, events, clusters, claims) are the
store's public face (../shared/spec/EXPORT.md); the rest are internal. ``MIGRATIONS`` lists
every schema change in order; a store records the versions it has applied.
"""

from __future__ import annotations

SPAN = "STRUCT(doc_id VARCHAR, start INTEGER, \"end\" INTEGER, text VARCHAR)[]"

# table -> ordered (column, DuckDB type). Export columns come first, in spec order.
TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "VARCHAR PRIMARY KEY"),
        ("source", "VARCHAR"),
        ("title", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("published", "VARCHAR"),
        ("lang", "VARCHAR"),
        ("lang_score", "DOUBLE"),
        ("text", "VARCHAR"),
        ("removed", "STRUCT(text VARCHAR, reason VARCHAR)[]"),
        ("duplicate_of", "VARCHAR"),
        ("event_id", "VARCHAR"),
        ("story_id", "VARCHAR"),
        # internal
        ("url", "VARCHAR"),
        ("author", "VARCHAR"),
        ("format", "VARCHAR"),
        ("mixed_lang", "BOOLEAN"),
        ("paragraphs", "STRUCT(start INTEGER, \"end\" INTEGER, lang VARCHAR, lang_score DOUBLE)[]"),
        ("sentences", "STRUCT(start INTEGER, \"end\" INTEGER)[]"),
        ("raw", "VARCHAR"),
        ("run_id", "INTEGER"),
    ],
    "entities": [
        ("doc_id", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"),
        ("type", "VARCHAR"), ("entity_id", "VARCHAR"), ("name", "VARCHAR"),
    ],
    "dates": [
        ("doc_id", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"),
        ("value", "VARCHAR"),
    ],
    "quantities": [
        ("doc_id", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"),
        ("value", "DOUBLE"), ("unit", "VARCHAR"), ("kind", "VARCHAR"),
        ("qualifier", "VARCHAR"), ("role", "VARCHAR"),
    ],
    "events": [
        ("event_mention_id", "VARCHAR"), ("doc_id", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"),
        ("type", "VARCHAR"), ("actor", "VARCHAR"), ("target", "VARCHAR"), ("location", "VARCHAR"),
        ("date", "VARCHAR"), ("quantities", "INTEGER[][]"),
    ],
    "clusters": [
        ("cluster_id", "VARCHAR PRIMARY KEY"), ("level", "VARCHAR"), ("parent", "VARCHAR"),
        ("doc_ids", "VARCHAR[]"), ("title", "VARCHAR"), ("start_date", "VARCHAR"), ("end_date", "VARCHAR"),
        ("languages", "VARCHAR[]"), ("outlets", "VARCHAR[]"), ("size", "INTEGER"),
    ],
    "claims": [
        ("claim_id", "VARCHAR PRIMARY KEY"), ("cluster_id", "VARCHAR"), ("statement", "VARCHAR"),
        ("value", "DOUBLE"), ("status", "VARCHAR"), ("sources", SPAN), ("contradicting", SPAN),
    ],
    "runs": [
        ("run_id", "INTEGER PRIMARY KEY"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
        ("inputs", "VARCHAR[]"), ("documents_added", "INTEGER"), ("already_stored", "INTEGER"),
        ("rejected", "INTEGER"), ("status", "VARCHAR"), ("stats", "VARCHAR"),
    ],
    "vectors": [
        ("doc_id", "VARCHAR PRIMARY KEY"), ("embedding_key", "VARCHAR"), ("vector", "FLOAT[]"),
    ],
    "pass_state": [
        ("name", "VARCHAR PRIMARY KEY"), ("state", "BLOB"), ("updated_at", "TIMESTAMP"),
    ],
    "rejects": [
        ("run_id", "INTEGER"), ("source", "VARCHAR"), ("line", "INTEGER"), ("reason", "VARCHAR"),
    ],
}

# The public columns of each export table, in ../shared/spec/EXPORT.md order.
EXPORT_COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "source", "title", "publisher", "published", "lang", "lang_score", "text",
                  "removed", "duplicate_of", "event_id", "story_id"],
    "entities": ["doc_id", "start", "end", "text", "type", "entity_id", "name"],
    "dates": ["doc_id", "start", "end", "text", "value"],
    "quantities": ["doc_id", "start", "end", "text", "value", "unit", "kind", "qualifier", "role"],
    "events": ["event_mention_id", "doc_id", "start", "end", "type", "actor", "target", "location",
               "date", "quantities"],
    "clusters": ["cluster_id", "level", "parent", "doc_ids", "title", "start_date", "end_date",
                 "languages", "outlets", "size"],
    "claims": ["claim_id", "cluster_id", "statement", "value", "status", "sources", "contradicting"],
}

# Tables whose rows hang off a document (deleted and rewritten with it).
DOC_CHILD_TABLES = ("entities", "dates", "quantities", "events")


def load_type(sql_type: str) -> str:
    """The column type for bulk loading (constraints stripped)."""
    return sql_type.replace(" PRIMARY KEY", "")


def create_sql(table: str) -> str:
    cols = ", ".join(f'"{name}" {typ}' for name, typ in TABLES[table])
    return f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})'


# version -> statements. Version 1 creates every table. Append; never edit a shipped step.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [create_sql(t) for t in TABLES if t not in ("vectors", "pass_state")]),
    (2, [create_sql("vectors"), create_sql("pass_state"),
         'ALTER TABLE clusters ADD COLUMN IF NOT EXISTS "languages" VARCHAR[]',
         'ALTER TABLE clusters ADD COLUMN IF NOT EXISTS "outlets" VARCHAR[]',
         'ALTER TABLE clusters ADD COLUMN IF NOT EXISTS "size" INTEGER',
         'ALTER TABLE quantities ADD COLUMN IF NOT EXISTS "qualifier" VARCHAR',
         'ALTER TABLE quantities ADD COLUMN IF NOT EXISTS "role" VARCHAR',
         # lookups the web pages and passes make per document, entity and cluster
         "CREATE INDEX IF NOT EXISTS entities_doc ON entities (doc_id)",
         "CREATE INDEX IF NOT EXISTS entities_entity ON entities (entity_id)",
         "CREATE INDEX IF NOT EXISTS dates_doc ON dates (doc_id)",
         "CREATE INDEX IF NOT EXISTS quantities_doc ON quantities (doc_id)",
         "CREATE INDEX IF NOT EXISTS events_doc ON events (doc_id)",
         "CREATE INDEX IF NOT EXISTS clusters_parent ON clusters (parent)",
         "CREATE INDEX IF NOT EXISTS claims_cluster ON claims (cluster_id)",
         "CREATE INDEX IF NOT EXISTS documents_story ON documents (story_id)"]),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
