"""Patient search by word suffixes, on PostgreSQL only (SQLite skips this migration's work).

Patient search asks, per term, whether `search_text` contains it. The trigram index of 0002
answered that, but every record number contains the trigrams `000`, `-00`, `001`, so a
record-number search read posting lists as long as the patient table (3.3 ms for the page and
again for the count at 100,000 patients, against 0.7 ms now).

Here each patient's `search_text` is indexed as the set of suffixes of its words (a tsvector:
"zoe lukasiewicz mrn-777" -> zoe, oe, e, lukasiewicz, ukasiewicz, ..., mrn-777, rn-777, ...).
A term without spaces is contained in `search_text` exactly when it is the start of one of
those suffixes, and GIN answers a prefix (`'term':*`) by reading only the entries that start
with it: a record number's, a name's. The trigram index is dropped: no query uses it any more
(terms of one character keep the plain LIKE, which no index served before either).
ANALYZE gives the planner statistics on the new expression; without them it misjudged the
first page. See docs/performance.md ("Indexes").
"""

from django.db import migrations

from clinic.migration_operations import postgresql_statements

# The function name and expression are repeated in prescriptions/filters.py (`WordStartsWith`):
# the planner uses the index only for exactly this expression.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION patient_search_word_suffixes(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(substr(word, start)), '{}'))
    FROM unnest(string_to_array($1, ' ')) AS word, generate_series(1, length(word)) AS start
$$
"""
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS patient_search_word_suffixes ON prescriptions_patient "
    "USING gin (patient_search_word_suffixes(search_text))"
)
CREATE_TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS patient_search_text_trgm "
    "ON prescriptions_patient USING gin (search_text gin_trgm_ops)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("prescriptions", "0004_contraindication_reason"),
    ]

    operations = [
        postgresql_statements(
            [
                CREATE_FUNCTION,
                CREATE_INDEX,
                "DROP INDEX IF EXISTS patient_search_text_trgm",
                "ANALYZE prescriptions_patient",
            ],
            [
                CREATE_TRIGRAM_INDEX,
                "DROP INDEX IF EXISTS patient_search_word_suffixes",
                "DROP FUNCTION IF EXISTS patient_search_word_suffixes(text)",
            ],
        ),
    ]
