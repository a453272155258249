"""Search the whole project for words, for the search panel (and anything else that wants to)."""

from __future__ import annotations

from annotator.core.find import SearchHit
from annotator.store.project import Project
from annotator.store.search import matching_ids as _matching_ids
from annotator.store.search import search_documents


def search(project: Project, query: str, limit: int = 200) -> list[SearchHit]:
    """Documents containing every word of ``query``, best first, each with a snippet; [] for a blank query."""
    if not query.strip():
        return []
    return search_documents(project, query, limit)


def matching_ids(project: Project, query: str) -> set[int]:
    """Ids of the documents whose title or text holds every word of ``query`` (the list's filter box)."""
    return _matching_ids(project, query) if query.strip() else set()
