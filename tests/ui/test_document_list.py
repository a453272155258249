"""The document list of a big project: rows are read as they come into view; filtering and sorting
still reach every document."""

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import Document, Status
from annotator.services import documents
from annotator.store.documents import add_documents
from annotator.ui.document_list import PAGE, DocumentListPanel

COUNT = 1_500


@pytest.fixture
def panel(qtbot, project):
    reports = [Document(f"Report {i} from the wire.", title=f"Report {i:04d}", date="2026-05-01") for i in range(COUNT)]
    zebra = Document("A zebra escaped from the zoo in Riverton.", title="Zebra on the loose", date="2026-06-01")
    add_documents(project, [*reports, zebra])
    panel = DocumentListPanel()
    qtbot.addWidget(panel)
    panel.list_ids = lambda query: documents.list_ids(project, query, "ana")
    panel.list_rows = lambda ids: documents.list_rows(project, ids, "ana")
    panel.resize(500, 400)
    panel.show()
    panel.reload()
    qtbot.waitExposed(panel)
    return panel


def shown_titles(panel, rows):
    return [panel.model.index(row, 0).data() for row in rows]


def test_the_list_shows_the_first_rows_and_reads_more_on_scrolling(panel, qtbot):
    assert panel.model.rowCount() == COUNT + 1  # the scroll bar knows the whole length at once
    assert shown_titles(panel, range(3)) == ["Report 0000", "Report 0001", "Report 0002"]
    assert panel.model.loaded < COUNT // 2  # only what has been shown was read
    panel.table.scrollToBottom()
    qtbot.wait(50)
    assert shown_titles(panel, [COUNT]) == ["Zebra on the loose"]
    assert panel.model.index(COUNT - 1, 3).data() == 0  # entity count, read with its page
    assert panel.model.loaded <= 2 * PAGE + 3 * PAGE


def test_filtering_finds_a_document_far_down_by_title_or_by_a_word_of_its_text(panel, qtbot):
    qtbot.keyClicks(panel.filter, "ZEBRA")
    assert shown_titles(panel, range(panel.model.rowCount())) == ["Zebra on the loose"]
    panel.filter.clear()
    assert panel.model.rowCount() == COUNT + 1
    qtbot.keyClicks(panel.filter, "escaped")  # only in the text
    assert shown_titles(panel, range(panel.model.rowCount())) == ["Zebra on the loose"]


def test_sorting_by_a_column_orders_the_whole_list_not_just_what_was_read(panel, qtbot):
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown_titles(panel, [0, 1]) == ["Zebra on the loose", "Report 1499"]
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by date: the one June article first
    assert shown_titles(panel, [0]) == ["Zebra on the loose"]


def test_a_document_marked_done_leaves_a_list_of_open_documents(panel, qtbot):
    panel.status_filter.setCurrentIndex(panel.status_filter.findText("Not done yet"))
    zebra = panel.model.id_at(COUNT)
    assert panel.select(zebra)
    panel.model.update_row(zebra, status=Status.DONE)
    assert panel.model.rowCount() == COUNT
    assert panel.model.row_of(zebra) is None
