"""View ▸ People and Organisations in the real window (offscreen): links suggested in the background and
confirmed by keys, one person's mentions, statements and claims across articles, opening an article at
a statement, and merge, rename and split, each undone with Ctrl+Z."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from annotator.core.model import Layer
from annotator.services import registry
from annotator.services.importing import import_paths
from annotator.ui.menus import named_action

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL_SHIFT = Mod.ControlModifier | Mod.ShiftModifier
ONE = "Sergey Lavrov met the press in Moscow on Monday."
TWO = "Lavrov said that the talks would resume in March. Later he left."
THREE = "Лавров прибыл в Москву."
FOUR = "Maria Zakharova spoke in Riverton."
CONTENT = "the talks would resume in March"


def entity(uid, text, words, label="PERSON"):
    start = text.index(words)
    return {"id": uid, "start": start, "end": start + len(words), "label": label, "text": words,
            "state": "accepted", "annotator": "ana", "origin": "ana"}


def article(number, text, date, entities, **layers):
    return {"id": f"doc{number}", "text": text, "meta": {"title": f"Article {number}", "date": date},
            "entities": entities, "statements": [], "claims": [], "relations": [], "format": "annotator/1", **layers}


def said(uid, text, words, **more):
    start = text.index(words)
    return {"id": uid, "start": start, "end": start + len(words), "text": words, "state": "accepted",
            "annotator": "ana", "origin": "ana", **more}


@pytest.fixture
def project(project, tmp_path):
    """Three articles naming Lavrov three ways (one where he says something with a check-worthy claim), and
    a fourth naming somebody else."""
    cue = TWO.index("said")
    records = [
        article(1, ONE, "2021-01-05", [entity("a1", ONE, "Sergey Lavrov"), entity("m1", ONE, "Moscow", "GPE")]),
        article(2, TWO, "2021-01-02", [entity("a2", TWO, "Lavrov")],
                statements=[said("st", TWO, CONTENT, label="STATEMENT",
                                 attributes={"kind": "indirect", "cue": [cue, cue + 4]})],
                claims=[said("cl", TWO, CONTENT, label="CLAIM", attributes={"checkworthiness": "check-worthy factual"})],
                relations=[{"id": "r1", "head": "st", "tail": "a2", "label": "speaker", "attributes": {}},
                           {"id": "r2", "head": "cl", "tail": "st", "label": "statement", "attributes": {}}]),
        article(3, THREE, "2021-01-09", [entity("a3", THREE, "Лавров")]),
        article(4, FOUR, "2021-01-07", [entity("z4", FOUR, "Maria Zakharova"), entity("r4", FOUR, "Riverton", "GPE")]),
    ]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assert import_paths(project, [source]).added == 4
    return project


def open_panel(qtbot, window):
    qtbot.keyClick(window, Key.Key_O, CTRL_SHIFT)  # View ▸ People and Organisations
    panel = window.people
    qtbot.waitUntil(lambda: panel.isVisible() and panel.filter.hasFocus() and panel.count.text() != "")
    return panel


def names(panel):
    return [(e.name, e.mentions, e.statements, e.claims) for e in panel.shown_entries()]


def rows(panel):
    """Date, article, kind and what, as each row of the appearances shows them."""
    tree = panel.appearances
    return [tuple(tree.topLevelItem(r).text(c) for c in range(4)) for r in range(tree.topLevelItemCount())]


def link_everything(project):
    return registry.confirm(project, registry.suggest_links(project), annotator="ana")


def test_suggestions_run_in_the_background_and_are_linked_only_when_confirmed_by_keys(window, project, qtbot):
    panel = open_panel(qtbot, window)
    assert panel.count.text().startswith("No entries yet")
    named_action(window, "Suggest Registry Links…").trigger()  # Annotate ▸ Suggest Registry Links…
    dialog = panel.suggestions
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 4, timeout=10_000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert registry.entries(project) == []  # suggesting links nothing
    first = dialog.list.topLevelItem(0)
    assert [first.text(c) for c in range(3)] == ["Sergey Lavrov, Lavrov, Лавров (3)", "3 articles",
                                                 "new PERSON: Sergey Lavrov"]
    assert first.text(3).startswith("new entry") and first.text(4) == "0.50"

    qtbot.keyClick(dialog.list, Key.Key_A)  # link the first; the next one becomes current
    assert [e.name for e in registry.entries(project)] == ["Sergey Lavrov"]
    assert dialog.list.currentItem() is dialog.list.topLevelItem(1)
    skipped = dialog.list.currentItem().text(0)
    qtbot.keyClick(dialog.list, Key.Key_X)  # skip one
    qtbot.keyClick(dialog.list, Key.Key_A, Mod.ShiftModifier)  # every other "new entry" in one step
    linked = {e.name for e in registry.entries(project)}
    assert len(linked) == 3 and "Sergey Lavrov" in linked and not any(skipped.startswith(n) for n in linked)
    assert [dialog.list.topLevelItem(r).text(5) for r in range(4)].count("linked") == 3

    qtbot.keyClick(dialog.list, Key.Key_Z, Mod.ControlModifier)  # undoes the whole Shift+A step
    assert [e.name for e in registry.entries(project)] == ["Sergey Lavrov"]
    assert [dialog.list.topLevelItem(r).text(5) for r in range(4)] == ["linked", "skipped", "", ""]
    dialog.close()

    qtbot.waitUntil(lambda: names(panel)[:1] == [("Sergey Lavrov", 3, 1, 1)])
    assert rows(panel)[1:] == [
        ("2021-01-02", "Article 2", "statement (indirect)", f"Lavrov said: “{CONTENT}”"),
        ("2021-01-05", "Article 1", "mention · PERSON", ONE),
        ("2021-01-09", "Article 3", "mention · PERSON", THREE),
    ]
    assert rows(panel)[0][:3] == ("2021-01-02", "Article 2", "mention · PERSON")
    assert rows(panel)[0][3].startswith("Lavrov said that the talks")  # a mention's snippet
    statement = panel.appearances.topLevelItem(1)
    assert statement.childCount() == 1
    claim = statement.child(0)
    assert (claim.text(2), claim.text(3), claim.text(4)) == ("claim", CONTENT, "check-worthy factual")


@pytest.fixture
def linked(project):
    link_everything(project)
    return project


def test_one_person_read_across_articles_by_date_with_filters_and_opened_at_the_statement(window, linked, qtbot,
                                                                                         typing):
    panel = open_panel(qtbot, window)
    qtbot.waitUntil(lambda: len(names(panel)) == 4)
    assert names(panel)[0] == ("Sergey Lavrov", 3, 1, 1)  # the most mentioned first
    typing(panel.filter, "лавр")  # any script finds him
    assert [n[0] for n in names(panel)] == ["Sergey Lavrov"]
    qtbot.keyClick(panel.filter, Key.Key_Down)
    assert panel.entries.hasFocus()
    qtbot.keyClick(panel.entries, Key.Key_Return)
    assert panel.appearances.hasFocus()
    assert [r[:3] for r in rows(panel)] == [("2021-01-02", "Article 2", "mention · PERSON"),
                                          ("2021-01-02", "Article 2", "statement (indirect)"),
                                          ("2021-01-05", "Article 1", "mention · PERSON"),
                                          ("2021-01-09", "Article 3", "mention · PERSON")]
    assert "Sergey Lavrov: 3 mention(s), 1 statement(s), 1 claim(s)" == panel.heading.text()

    qtbot.keyClick(panel.appearances, Key.Key_Down)  # the statement
    qtbot.keyClick(panel.appearances, Key.Key_Return)
    assert window.session.document_id == window.documents.current_id()
    assert window.article.document.title == "Article 2"
    current = window.session.current_span()
    assert current.layer == Layer.STATEMENT and TWO[current.start:current.end] == CONTENT
    assert panel.appearances.hasFocus()  # Down and Enter read on

    qtbot.keyClick(panel.appearances, Key.Key_Down)  # the statement's claim, beneath it
    assert panel.appearances.currentItem().text(2) == "claim"
    qtbot.keyClick(panel.appearances, Key.Key_Down)  # Article 1's mention
    qtbot.keyClick(panel.appearances, Key.Key_Return)
    assert window.article.document.title == "Article 1"
    assert ONE[window.session.current_span().start:window.session.current_span().end] == "Sergey Lavrov"

    panel.worth.setCurrentIndex(panel.worth.findData("check-worthy factual"))
    assert [r[2] for r in rows(panel)] == ["statement (indirect)"]
    panel.worth.setCurrentIndex(0)
    panel.date_from.setDate(QDate(2021, 1, 5))
    assert [r[1] for r in rows(panel)] == ["Article 1", "Article 3"]
    assert panel.date_to.text() == "no limit"


def test_merge_rename_and_split_by_keys_each_undone_with_ctrl_z(window, linked, qtbot, safety_net):
    panel = open_panel(qtbot, window)
    qtbot.waitUntil(lambda: len(names(panel)) == 4)
    before = sorted(names(panel))
    qtbot.keyClick(panel.filter, Key.Key_Down)  # Sergey Lavrov, the first
    qtbot.keyClick(panel.entries, Key.Key_Down, Mod.ShiftModifier)  # and the next, which becomes current
    into = panel.current_entry().name
    qtbot.keyClick(panel.entries, Key.Key_M, Mod.ControlModifier)
    assert len(names(panel)) == 3 and names(panel)[0][:2] == (into, 4)
    assert "Sergey Lavrov" in panel.current_entry().aliases
    qtbot.keyClick(panel.entries, Key.Key_Z, Mod.ControlModifier)
    assert sorted(names(panel)) == before

    panel.filter.setText("lavrov")
    panel.entries.setFocus()
    qtbot.keyClick(panel.entries, Key.Key_F2)  # rename in place (F2 is Guidelines elsewhere)
    editor = QApplication.focusWidget()
    assert editor is not panel.entries and not window.guidelines_dock.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "<b>Lavrov</b>")
    qtbot.keyClick(editor, Key.Key_Return)
    qtbot.waitUntil(lambda: [n[0] for n in names(panel)] == ["<b>Lavrov</b>"])
    assert panel.entries.topLevelItem(0).text(0) == "<b>Lavrov</b>"  # shown as the characters it is
    assert panel.heading.textFormat() == Qt.TextFormat.PlainText and panel.heading.text().startswith("<b>Lavrov</b>")
    assert "&lt;b&gt;Lavrov&lt;/b&gt;" in panel.entries.topLevelItem(0).toolTip(0)
    qtbot.keyClick(panel.entries, Key.Key_Z, Mod.ControlModifier)
    assert [n[0] for n in names(panel)] == ["Sergey Lavrov"]

    qtbot.keyClick(panel.entries, Key.Key_Return)
    qtbot.keyClick(panel.appearances, Key.Key_End)  # only the last: Лавров, in Article 3
    assert [r.text for r in panel.appearance_rows()][3] == "Лавров"
    assert panel.appearances.selectedItems() == [panel.appearances.topLevelItem(3)]

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QInputDialog):
            box.setTextValue("Лавров (another)")
            box.accept()

    safety_net(5000, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().reject())
    QTimer.singleShot(0, answer)
    qtbot.keyClick(panel.appearances, Key.Key_S, CTRL_SHIFT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.filter.clear()
    assert ("Лавров (another)", 1, 0, 0) in names(panel) and ("Sergey Lavrov", 2, 1, 1) in names(panel)
    qtbot.keyClick(panel.entries, Key.Key_Z, Mod.ControlModifier)
    assert sorted(names(panel)) == before


def test_the_list_is_read_only_while_the_panel_shows(window, linked, qtbot):
    assert window.people.shown_entries() == []  # closed: nothing read
    panel = open_panel(qtbot, window)
    qtbot.waitUntil(lambda: len(names(panel)) == 4)
    window.people_dock.hide()
    lavrov = next(e for e in registry.entries(linked) if e.name == "Sergey Lavrov")
    registry.rename(linked, lavrov.id, "S. Lavrov")
    panel.refresh_later()
    assert "S. Lavrov" not in [n[0] for n in names(panel)]
    open_panel(qtbot, window)
    qtbot.waitUntil(lambda: "S. Lavrov" in [n[0] for n in names(panel)])


def test_l_links_a_suggestion_to_another_entry_than_the_one_proposed_and_ctrl_z_undoes_it(window, project, qtbot,
                                                                                           monkeypatch):
    from annotator.ui import registry_suggestions

    panel = open_panel(qtbot, window)
    named_action(window, "Suggest Registry Links…").trigger()
    dialog = panel.suggestions
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 4, timeout=10_000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.list, Key.Key_A)  # Sergey Lavrov becomes an entry; the next suggestion is current
    other = dialog.list.currentItem().text(0)
    offered = []

    def pick(_parent, _title, _label, items):
        offered.extend(items)
        return items[0]

    monkeypatch.setattr(registry_suggestions, "choose_item", pick)
    qtbot.keyClick(dialog.list, Key.Key_L)
    assert offered == ["Sergey Lavrov (PERSON, 3 mention(s))"]
    (entry,) = registry.entries(project)
    assert entry.mentions == 4  # the other suggestion's mention went to the entry the analyst picked
    assert dialog.list.topLevelItem(1).text(5) == "linked" and other
    qtbot.keyClick(dialog.list, Key.Key_Z, Mod.ControlModifier)
    assert registry.entries(project)[0].mentions == 3
    dialog.close()
