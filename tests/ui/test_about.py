"""The About dialog names every bundled component with its version and licence text."""

from annotator.ui.about import AboutDialog, licence_texts


def test_the_about_dialog_lists_regex_with_its_licence(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    assert "regex" in rows
    row = rows["regex"]
    assert dialog.table.item(row, 1).text() != "not installed"
    assert dialog.table.item(row, 2).text() == "Apache-2.0 AND CNRI-Python"
    component = dialog.components[row]
    assert any("Apache License" in text for _name, text in licence_texts(component))
    dialog.show_licence(row)
    assert "Apache License" in dialog.licence.toPlainText()


def test_the_about_dialog_lists_the_fonts_with_their_versions_and_licences(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    expected = {
        "Noto Sans fonts": ("OFL-1.1", "SIL OPEN FONT LICENSE Version 1.1"),
        "Noto Color Emoji": ("OFL-1.1", "SIL OPEN FONT LICENSE Version 1.1"),
        "WenQuanYi Micro Hei": ("Apache-2.0", "Apache License"),
    }
    for name, (licence, words) in expected.items():
        row = rows[name]
        assert dialog.table.item(row, 2).text() == licence
        version = dialog.table.item(row, 1).text()
        assert version[0].isdigit(), (name, version)  # read from the font files
        dialog.show_licence(row)
        assert words in dialog.licence.toPlainText(), name
