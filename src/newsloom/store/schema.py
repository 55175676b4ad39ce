"""Table definitions, in one place: DDL, bulk-load column types and export columns all come from here.

The export tables (documents, entities, dates, quantities, events, clusters, claims) are the
store's public face (../shared/spec/EXPORT.md); the rest are internal. ``MIGRATIONS`` lists
every schema change in order; a store records the versions it has applied.
"""

from __future__ import annotations

SPAN = "STRUCT(doc_id VARCHAR, start INTEGER, \"end\" INTEGER, text VARCHAR)[]"
# a claim's mention: its words, the outlet, and who is quoted or cited for it
SOURCE = ("STRUCT(doc_id VARCHAR, start INTEGER, \"end\" INTEGER, text VARCHAR, publisher VARCHAR,"
          " attributed_to VARCHAR)[]")

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
        # exported (added by migration 5, so last in the table)
        ("working_date", "VARCHAR"),
        ("working_date_source", "VARCHAR"),
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
        ("trigger_start", "INTEGER"), ("trigger_end", "INTEGER"), ("mode", "VARCHAR"), ("negated", "BOOLEAN"),
        ("actor_country", "VARCHAR"), ("target_country", "VARCHAR"), ("event_id", "VARCHAR"),
        ("story_id", "VARCHAR"),
    ],
    "clusters": [
        ("cluster_id", "VARCHAR PRIMARY KEY"), ("level", "VARCHAR"), ("parent", "VARCHAR"),
        ("doc_ids", "VARCHAR[]"), ("title", "VARCHAR"), ("start_date", "VARCHAR"), ("end_date", "VARCHAR"),
        ("languages", "VARCHAR[]"), ("outlets", "VARCHAR[]"), ("size", "INTEGER"),
    ],
    "claims": [
        ("claim_id", "VARCHAR PRIMARY KEY"), ("cluster_id", "VARCHAR"), ("statement", "VARCHAR"),
        ("value", "DOUBLE"), ("status", "VARCHAR"), ("sources", SOURCE), ("contradicting", SOURCE),
        ("kind", "VARCHAR"), ("subject", "VARCHAR[]"), ("quantity_kind", "VARCHAR"), ("date", "VARCHAR"),
        ("independent_sources", "INTEGER"),
    ],
    "framing": [
        ("publisher", "VARCHAR"), ("lang", "VARCHAR"), ("term", "VARCHAR"), ("neutral", "VARCHAR"),
        ("count", "INTEGER"), ("doc_ids", "VARCHAR[]"),
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
    "pass_seen": [
        ("pass", "VARCHAR"), ("doc_id", "VARCHAR"), ("run_id", "INTEGER"),
    ],
    "cluster_renames": [
        ("old", "VARCHAR PRIMARY KEY"), ("new", "VARCHAR"), ("renamed_at", "TIMESTAMP"),
    ],
}

# The public columns of each export table, in ../shared/spec/EXPORT.md order.
EXPORT_COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "source", "title", "publisher", "published", "lang", "lang_score", "text",
                  "removed", "duplicate_of", "event_id", "story_id", "working_date", "working_date_source"],
    "entities": ["doc_id", "start", "end", "text", "type", "entity_id", "name"],
    "dates": ["doc_id", "start", "end", "text", "value"],
    "quantities": ["doc_id", "start", "end", "text", "value", "unit", "kind", "qualifier", "role"],
    "events": ["event_mention_id", "doc_id", "start", "end", "type", "actor", "target", "location",
               "date", "quantities", "trigger_start", "trigger_end", "mode", "negated", "actor_country",
               "target_country", "event_id", "story_id"],
    "clusters": ["cluster_id", "level", "parent", "doc_ids", "title", "start_date", "end_date",
                 "languages", "outlets", "size"],
    "claims": ["claim_id", "cluster_id", "statement", "value", "status", "sources", "contradicting",
               "kind", "subject", "quantity_kind", "date", "independent_sources"],
    "framing": ["publisher", "lang", "term", "neutral", "count", "doc_ids"],
}

# Tables whose rows hang off a document (deleted and rewritten with it).
DOC_CHILD_TABLES = ("entities", "dates", "quantities", "events")


def load_type(sql_type: str) -> str:
    """The column type for bulk loading (constraints stripped)."""
    return sql_type.replace(" PRIMARY KEY", "")


def create_sql(table: str) -> str:
    cols = ", ".join(f'"{name}" {typ}' for name, typ in TABLES[table])
    return f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})'


# version -> statements, applied in order inside one transaction each. Append; never edit a
# shipped step: the statements are literal text, not generated from ``TABLES``, so a column added
# to ``TABLES`` needs a new step (tests/store/test_store_schema.py checks both agree).
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        'CREATE TABLE IF NOT EXISTS "documents" ("doc_id" VARCHAR PRIMARY KEY, "source" VARCHAR, "title" VARCHAR, "publisher" VARCHAR, "published" VARCHAR, "lang" VARCHAR, "lang_score" DOUBLE, "text" VARCHAR, "removed" STRUCT(text VARCHAR, reason VARCHAR)[], "duplicate_of" VARCHAR, "event_id" VARCHAR, "story_id" VARCHAR, "url" VARCHAR, "author" VARCHAR, "format" VARCHAR, "mixed_lang" BOOLEAN, "paragraphs" STRUCT(start INTEGER, "end" INTEGER, lang VARCHAR, lang_score DOUBLE)[], "sentences" STRUCT(start INTEGER, "end" INTEGER)[], "raw" VARCHAR, "run_id" INTEGER)',
        'CREATE TABLE IF NOT EXISTS "entities" ("doc_id" VARCHAR, "start" INTEGER, "end" INTEGER, "text" VARCHAR, "type" VARCHAR, "entity_id" VARCHAR, "name" VARCHAR)',
        'CREATE TABLE IF NOT EXISTS "dates" ("doc_id" VARCHAR, "start" INTEGER, "end" INTEGER, "text" VARCHAR, "value" VARCHAR)',
        'CREATE TABLE IF NOT EXISTS "quantities" ("doc_id" VARCHAR, "start" INTEGER, "end" INTEGER, "text" VARCHAR, "value" DOUBLE, "unit" VARCHAR, "kind" VARCHAR, "qualifier" VARCHAR, "role" VARCHAR)',
        'CREATE TABLE IF NOT EXISTS "events" ("event_mention_id" VARCHAR, "doc_id" VARCHAR, "start" INTEGER, "end" INTEGER, "type" VARCHAR, "actor" VARCHAR, "target" VARCHAR, "location" VARCHAR, "date" VARCHAR, "quantities" INTEGER[][])',
        'CREATE TABLE IF NOT EXISTS "clusters" ("cluster_id" VARCHAR PRIMARY KEY, "level" VARCHAR, "parent" VARCHAR, "doc_ids" VARCHAR[], "title" VARCHAR, "start_date" VARCHAR, "end_date" VARCHAR, "languages" VARCHAR[], "outlets" VARCHAR[], "size" INTEGER)',
        'CREATE TABLE IF NOT EXISTS "claims" ("claim_id" VARCHAR PRIMARY KEY, "cluster_id" VARCHAR, "statement" VARCHAR, "value" DOUBLE, "status" VARCHAR, "sources" STRUCT(doc_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR)[], "contradicting" STRUCT(doc_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR)[])',
        'CREATE TABLE IF NOT EXISTS "runs" ("run_id" INTEGER PRIMARY KEY, "started_at" TIMESTAMP, "finished_at" TIMESTAMP, "inputs" VARCHAR[], "documents_added" INTEGER, "already_stored" INTEGER, "rejected" INTEGER, "status" VARCHAR, "stats" VARCHAR)',
        'CREATE TABLE IF NOT EXISTS "rejects" ("run_id" INTEGER, "source" VARCHAR, "line" INTEGER, "reason" VARCHAR)',
    ]),
    (2, ['CREATE TABLE IF NOT EXISTS "vectors" ("doc_id" VARCHAR PRIMARY KEY, "embedding_key" VARCHAR, "vector" FLOAT[])',
         'CREATE TABLE IF NOT EXISTS "pass_state" ("name" VARCHAR PRIMARY KEY, "state" BLOB, "updated_at" TIMESTAMP)',
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
    # which documents each whole-corpus pass has taken in (so a killed or failed run is finished
    # by the next one). Documents already grouped before this step count as seen by the passes
    # of that time; the rest (left ungrouped by an interrupted run) are picked up.
    (3, ['CREATE TABLE IF NOT EXISTS "pass_seen" ("pass" VARCHAR, "doc_id" VARCHAR, "run_id" INTEGER, '
         'PRIMARY KEY ("pass", "doc_id"))',
         "INSERT INTO pass_seen SELECT 'copies', doc_id, run_id FROM documents"
         " WHERE event_id IS NOT NULL OR duplicate_of IS NOT NULL",
         "INSERT INTO pass_seen SELECT p.name, d.doc_id, d.run_id FROM documents d,"
         " (VALUES ('clusters'), ('similarity')) AS p(name) WHERE d.event_id IS NOT NULL",
         # the export contract's added fields: events (trigger, modality, countries, clusters),
         # claims (kind, subject, date, outlets; publisher and attribution per source: claims was
         # never written before this step, so it is recreated), framing
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "trigger_start" INTEGER',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "trigger_end" INTEGER',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "mode" VARCHAR',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "negated" BOOLEAN',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "actor_country" VARCHAR',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "target_country" VARCHAR',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "event_id" VARCHAR',
         'ALTER TABLE events ADD COLUMN IF NOT EXISTS "story_id" VARCHAR',
         "DROP INDEX IF EXISTS claims_cluster",
         "DROP TABLE IF EXISTS claims",
         'CREATE TABLE claims ("claim_id" VARCHAR PRIMARY KEY, "cluster_id" VARCHAR, "statement" VARCHAR,'
         ' "value" DOUBLE, "status" VARCHAR, "sources" STRUCT(doc_id VARCHAR, start INTEGER, "end" INTEGER,'
         ' text VARCHAR, publisher VARCHAR, attributed_to VARCHAR)[], "contradicting" STRUCT(doc_id VARCHAR,'
         ' start INTEGER, "end" INTEGER, text VARCHAR, publisher VARCHAR, attributed_to VARCHAR)[],'
         ' "kind" VARCHAR, "subject" VARCHAR[], "quantity_kind" VARCHAR, "date" VARCHAR,'
         ' "independent_sources" INTEGER)',
         "CREATE INDEX IF NOT EXISTS claims_cluster ON claims (cluster_id)",
         'CREATE TABLE IF NOT EXISTS "framing" ("publisher" VARCHAR, "lang" VARCHAR, "term" VARCHAR,'
         ' "neutral" VARCHAR, "count" INTEGER, "doc_ids" VARCHAR[])']),
    # where each renamed cluster id went (an earlier report founded it anew, or re-clustering
    # merged it), so links to an old story or event still lead to it
    (4, ['CREATE TABLE IF NOT EXISTS "cluster_renames" ("old" VARCHAR PRIMARY KEY, "new" VARCHAR,'
         ' "renamed_at" TIMESTAMP)']),
    # the day a document's story placement used: its publication date, else a date its own text
    # states (working_date_source "published" | "text"; null when it has neither)
    (5, ['ALTER TABLE documents ADD COLUMN IF NOT EXISTS "working_date" VARCHAR',
         'ALTER TABLE documents ADD COLUMN IF NOT EXISTS "working_date_source" VARCHAR']),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
