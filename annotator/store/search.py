"""Search every document of a project for words: the full-text index on SQLite, ILIKE on PostgreSQL.

The database finds and ranks the documents; the snippet and the count of hits are computed here from
each found document's text with core.find, so both backends show them the same way.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select, text

from annotator.core.find import SearchHit, find_terms, snippet, terms
from annotator.store.project import Project
from annotator.store.tables import documents

# bm25 ranks by the full-text index; rowid breaks ties so equal ranks keep a stable order.
_FTS_QUERY = text(
    "SELECT d.id, d.title, d.text FROM documents_fts JOIN documents AS d ON d.id = documents_fts.rowid "
    "WHERE documents_fts MATCH :match ORDER BY rank, d.id LIMIT :limit"
)


def search_documents(project: Project, query: str, limit: int = 200) -> list[SearchHit]:
    """Documents whose title or text contains every word of ``query``, best first; the last word may be
    the beginning of a word (searching as the user types). Any input is safe: words are never read as
    query syntax."""
    words = terms(query)
    if not words or limit <= 0:
        return []
    sqlite = project.engine.dialect.name == "sqlite"
    with project.reading() as conn:
        if sqlite:
            rows = conn.execute(_FTS_QUERY, {"match": fts_match(words), "limit": limit}).all()
        else:
            rows = conn.execute(_ilike_query(words, limit)).all()
    found = [_hit(row.id, row.title, row.text, words) for row in rows]
    if not sqlite:
        found.sort(key=lambda hit: -hit.hits)  # no ranking in the database: more hits first (stable by id)
    return found


_FTS_IDS = text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match")


def matching_ids(project: Project, query: str) -> set[int]:
    """Every document whose title or text contains all the words: ids only, for filtering the list."""
    words = terms(query)
    if not words:
        return set()
    with project.reading() as conn:
        if project.engine.dialect.name == "sqlite":
            return set(conn.execute(_FTS_IDS, {"match": fts_match(words)}).scalars())
        query = _ilike_query(words, None).with_only_columns(documents.c.id)
        return set(conn.execute(query).scalars())


def fts_match(words: list[str]) -> str:
    """An FTS5 query that means only the words: each is a quoted string (a quote inside doubled), so
    AND, NEAR, -, ( and * are text; all are required; the last is a prefix."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _ilike_query(words: list[str], limit: int | None):
    required = []
    for word in words:
        pattern = "%" + _escape_like(word) + "%"
        in_title = documents.c.title.ilike(pattern, escape="\\")
        required.append(or_(in_title, documents.c.text.ilike(pattern, escape="\\")))
    return (
        select(documents.c.id, documents.c.title, documents.c.text)
        .where(and_(*required))
        .order_by(documents.c.id)
        .limit(limit)
    )


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(document_id: int, title: str, body: str, words: list[str]) -> SearchHit:
    # Accents are ignored as the SQLite index ignores them, so what it matched is also what is shown.
    hits = find_terms(body, words, ignore_accents=True)
    excerpt, inside = snippet(body, hits)
    return SearchHit(document_id, title, excerpt, tuple(inside), len(hits))
