"""The People and Organisations panel's pieces (ui.people_panel): its lists' items, made from the registry's
rows as plain text, and its date boxes."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.services import registry
from annotator.ui.plain import plain_tooltip

ROLE = Qt.ItemDataRole.UserRole + 1
NO_DATE = QDate(1800, 1, 1)  # a date box at its minimum shows "no limit"


def make_tree(parent: QWidget, name: str, columns: tuple[str, ...], stretch: int) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setHeaderLabels(list(columns))
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 renames through the panel
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    tree.setRootIsDecorated(stretch != 0)  # the appearances: a statement's claims beneath it
    return tree


def date_box(parent: QWidget, name: str) -> QDateEdit:
    box = QDateEdit(parent)
    box.setObjectName(name)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setCalendarPopup(True)
    box.setMinimumDate(NO_DATE)
    box.setSpecialValueText("no limit")  # shown at the minimum date
    box.setDate(NO_DATE)
    box.setToolTip("Its earliest value means no limit")
    return box


def day_of(box: QDateEdit) -> str | None:
    return None if box.date() == NO_DATE else box.date().toString("yyyy-MM-dd")


def matches(entry: registry.EntrySummary, wanted: str, wanted_key: str) -> bool:
    """The filter's words in the name or an alias, in any case or script ("lavrov" finds Лавров)."""
    return registry.names_match((entry.name, *entry.aliases), wanted, wanted_key)


def entry_item(entry: registry.EntrySummary) -> QTreeWidgetItem:
    item = QTreeWidgetItem([entry.name, entry.kind, str(entry.mentions), str(entry.statements), str(entry.claims)])
    item.setData(0, ROLE, entry)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(0, plain_tooltip(entry.name + (f"\nalso: {', '.join(entry.aliases)}" if entry.aliases else "")))
    for column in (2, 3, 4):
        item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def entry_of(item: QTreeWidgetItem | None) -> registry.EntrySummary | None:
    return None if item is None else item.data(0, ROLE)


def appearance_of(item: QTreeWidgetItem | None) -> registry.Appearance | None:
    return None if item is None else item.data(0, ROLE)


def appearance_item(row: registry.Appearance) -> QTreeWidgetItem:
    if row.kind == "statement":
        content = " ".join(row.text.split())
        who = " ".join(p for p in (row.speaker, row.cue) if p)  # first: a long content is cut short at the end
        what = f"{who}: “{content}”" if who else f"“{content}”"
        kind = f"statement ({row.statement_kind})" if row.statement_kind else "statement"
        worth = ", ".join(sorted({c.checkworthiness for c in row.claims if c.checkworthiness}))
    else:
        what, kind, worth = row.snippet, f"mention · {row.label}", ""
    item = QTreeWidgetItem([row.date or "undated", row.title or "(untitled)", kind, what, worth])
    item.setData(0, ROLE, row)
    item.setToolTip(1, plain_tooltip(row.title))
    item.setToolTip(3, plain_tooltip(row.snippet if row.kind == "mention" else f"{what}\n\n{row.snippet}"))
    for claim in row.claims:
        score = f" ({claim.score:.2f})" if claim.score is not None else ""
        child = QTreeWidgetItem(["", "", "claim", " ".join(claim.text.split()), (claim.checkworthiness or "") + score])
        child.setToolTip(3, plain_tooltip(claim.text))
        item.addChild(child)
    return item
