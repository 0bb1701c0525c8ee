"""PostgreSQL: match on a tsvector of column-tagged words, rank the title tiers by a small
title vector (backends.py explains why). Nothing changes on SQLite."""

from django.db import migrations

VECTORS = """
    NEW.search_vector :=
        setweight(to_tsvector('simple', coalesce(NEW.title_exact, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(NEW.title_stem, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(NEW.body_exact, '')), 'C') ||
        setweight(to_tsvector('simple', coalesce(NEW.body_stem, '')), 'D') ||
        setweight(to_tsvector('simple', coalesce(NEW.alternates, '')), 'D');
"""
CREATE = [
    "ALTER TABLE search_searchdocument ADD COLUMN match_vector tsvector",
    "ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector",
    # Each word of an analysed column becomes one lexeme: the column's letter and the word,
    # at the word's place (phrases stay within a column: || shifts the places).
    """
    CREATE FUNCTION search_tagged(tag text, forms text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(
            string_agg('''' || tag || word || ''':' || least(place, 16383), ' ')::tsvector,
            ''::tsvector)
        FROM unnest(string_to_array(coalesce(forms, ''), ' ')) WITH ORDINALITY AS w(word, place)
        WHERE word <> ''
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_document_vector() RETURNS trigger AS $$
    BEGIN
    """
    + VECTORS
    + """
        NEW.match_vector :=
            search_tagged('a', NEW.title_exact) || search_tagged('b', NEW.title_stem) ||
            search_tagged('c', NEW.body_exact) || search_tagged('d', NEW.body_stem) ||
            search_tagged('e', NEW.alternates);
        NEW.title_vector :=
            setweight(to_tsvector('simple', coalesce(NEW.title_exact, '')), 'A') ||
            setweight(to_tsvector('simple', coalesce(NEW.title_stem, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "UPDATE search_searchdocument SET title_exact = title_exact",
    "DROP INDEX IF EXISTS search_document_vector",
    "CREATE INDEX search_document_match ON search_searchdocument USING gin (match_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS search_document_match",
    """
    CREATE OR REPLACE FUNCTION search_document_vector() RETURNS trigger AS $$
    BEGIN
    """
    + VECTORS
    + """
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP FUNCTION IF EXISTS search_tagged(text, text)",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS match_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
]


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_document_rank_index")]

    operations = [migrations.RunPython(forwards, backwards)]
