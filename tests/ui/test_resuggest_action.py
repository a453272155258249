"""Annotate ▸ Re-run Suggestions on This Document…, in the real window: the analyst picks another pipeline
for the open Hebrew article, it suggests in a process of its own, and the article shows the new
suggestions with the pipeline named in the status bar; what the analyst decided stays."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from annotator.core.model import Document, State
from annotator.store.documents import add_documents
from annotator.ui.menus import named_action
from tests.services.test_preannotate_languages import HEBREW


def test_rerunning_the_open_hebrew_article_with_a_hebrew_pipeline(show_window, project, hebrew_model, qtbot,
                                                                   monkeypatch):
    doc = add_documents(project, [Document(HEBREW, title="Hebrew")]).added[0]
    window = show_window(project)
    window.open_document(doc.id)
    assert window.session.annotations.spans == {}  # the English pipeline suggests nothing here
    offered = []

    def choose(_parent, _title, label, items, _current, _editable):
        offered.append((label, list(items)))
        return str(hebrew_model), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    named_action(window, "Re-run Suggestions on This Document…").trigger()
    assert "Hebrew" in offered[0][0]
    qtbot.waitUntil(lambda: len(window.session.annotations.spans) == 3, timeout=60_000)
    shown = sorted((HEBREW[s.start:s.end], s.label, s.state, s.origin) for s in window.session.annotations.spans.values())
    assert shown == sorted([
        ("בנימין נתניהו", "PERSON", State.SUGGESTED, "he_test_ruler@0.0.2"),
        ("ונתניהו", "PERSON", State.SUGGESTED, "he_test_ruler@0.0.2"),
        ("ירושלים", "GPE", State.SUGGESTED, "he_test_ruler@0.0.2"),
    ])
    assert window.suggested_by_label.text() == "he · suggestions: he_test_ruler@0.0.2"
