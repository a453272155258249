"""Migration 0007 on a project an earlier version left, on SQLite and PostgreSQL: every document gets its
language (its source's own field, else its script's; Latin letters the project's default language), and
the column is indexed so a count by language does not read the texts."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy import text as sql

from annotator.core.model import Document
from annotator.store.documents import add_documents, language_counts
from annotator.store.project import SCHEMA_HEAD, open_project
from annotator.store.settings import set_setting

TEXTS = {
    "hebrew": "ראש הממשלה בנימין נתניהו אמר היום בירושלים כי השיחות יימשכו.",
    "thai": "นายกรัฐมนตรีกล่าวในกรุงเทพฯ ว่าการเจรจาจะดำเนินต่อไป",
    "hindi": "प्रधानमंत्री ने आज नई दिल्ली में कहा कि बातचीत जारी रहेगी।",
    "armenian": "Վարչապետը այսօր Երևանում ասաց, որ բանակցությունները կշարունակվեն։",
    "latin": "Sergey Lavrov said on Tuesday that the talks would go on.",
    "german": "Der Außenminister sagte am Dienstag in Berlin, die Gespräche gingen weiter.",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "earlier.annotator.sqlite"
    return request.getfixturevalue("postgres_url")


def as_version_0006_left_it(location, default_language: str | None = None) -> None:
    project = open_project(location)
    try:
        docs = [Document(text, title=name, meta={"language": "de"} if name == "german" else {})
                for name, text in TEXTS.items()]
        add_documents(project, docs)
        if default_language:
            set_setting(project, "default_language", default_language)
        with project.writing() as conn:
            conn.execute(sql("DROP TABLE presence"))  # 0009 adds it
            conn.execute(sql("DROP TABLE document_assignments"))  # 0008 adds it
            conn.execute(sql("DROP INDEX ix_documents_language"))
            conn.execute(sql("ALTER TABLE documents DROP COLUMN language"))
            conn.execute(sql("UPDATE alembic_version SET version_num = '0006'"))
    finally:
        project.close()


def languages_by_title(project) -> dict[str, str]:
    with project.reading() as conn:
        return dict(conn.execute(sql("SELECT title, language FROM documents")).all())


def test_opening_an_0006_project_gives_every_document_its_language(location):
    as_version_0006_left_it(location)
    project = open_project(location)
    try:
        with project.reading() as conn:
            assert conn.execute(sql("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            indexes = {index["name"] for index in inspect(conn).get_indexes("documents")}
        assert "ix_documents_language" in indexes
        assert languages_by_title(project) == {
            "hebrew": "he", "thai": "th", "hindi": "hi", "armenian": "hy", "latin": "en",
            "german": "de",  # the source's own field wins over the guess
        }
        assert language_counts(project) == {"de": 1, "en": 1, "he": 1, "hi": 1, "hy": 1, "th": 1}
    finally:
        project.close()


def test_latin_letters_get_the_projects_default_language_in_the_backfill(location):
    as_version_0006_left_it(location, default_language="fr")
    project = open_project(location)
    try:
        found = languages_by_title(project)
        assert found["latin"] == "fr" and found["hebrew"] == "he" and found["german"] == "de"
    finally:
        project.close()
