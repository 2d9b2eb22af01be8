"""A language per story, links between translations, and search stemming per language.

The stored search document (0011, PostgreSQL only) is rebuilt to stem each story with
the text-search configuration of its own language (``simple`` for one PostgreSQL has
none for). Rebuilding rewrites the table under an exclusive lock, as 0011 did.
"""

import django.db.models.deletion
from django.db import migrations, models

import articles.languages

# Literal SQL, not articles.languages: a migration must build the same thing forever.
CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
CONFIG = (
    "CASE lower(split_part(language, '-', 1)) "
    + " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in CONFIGS.items())
    + " ELSE 'simple'::regconfig END"
)


def document(config: str) -> str:
    return (
        f"setweight(to_tsvector({config}, COALESCE(headline, '')), 'A')"
        f" || setweight(to_tsvector({config}, COALESCE(dek, '')), 'B')"
        f" || setweight(to_tsvector({config}, COALESCE(body, '')), 'C')"
    )


def rebuild(config: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        execute = schema_editor.execute
        execute("SET LOCAL maintenance_work_mem = '256MB'")
        execute("DROP INDEX IF EXISTS articles_search_document_idx")
        execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document")
        execute(
            "ALTER TABLE articles_article ADD COLUMN search_document tsvector"
            f" GENERATED ALWAYS AS ({document(config)}) STORED"
        )
        execute(
            "CREATE INDEX articles_search_document_idx ON articles_article"
            " USING gin (search_document)"
        )
        execute("ANALYZE articles_article")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_curated_fronts"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="language",
            field=models.CharField(
                blank=True,
                choices=articles.languages.language_choices,
                default=articles.languages.default_language,
                help_text="The language the story is written in: readers' browsers, search "
                "engines and search's word stemming follow it. Left empty, the newsroom's "
                "default.",
                max_length=15,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The original story this one translates. Each public version links "
                "to the others (“Read in …”).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="articles.article",
                verbose_name="translation of",
            ),
        ),
        migrations.RunPython(rebuild(CONFIG), rebuild("'english'::regconfig"), elidable=False),
    ]
