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


def test_the_about_dialog_lists_the_readers_and_registry_libraries_and_everything_they_bring(qtbot):
    """Every library Annotator requires directly, and each one those new libraries pull in, has a row with
    its installed version and a licence text to read."""
    import re
    from importlib import metadata

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    listed = {name for component in dialog.components for name in component.distributions}

    def canonical(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    def required(name):
        found = set()
        for requirement in metadata.requires(name) or ():
            spec, _, marker = requirement.partition(";")
            if "extra" in marker or "python_version <" in marker or "Windows" in marker or "win32" in marker:
                continue
            found.add(canonical(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec).group(1)))
        return found

    new = {"trafilatura", "lxml-html-clean", "pypdf", "python-docx", "feedparser", "openpyxl", "rapidfuzz",
           "anyascii", "pyqtgraph"}
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    direct = {canonical(re.match(r"[A-Za-z0-9._-]+", spec).group(0)) for spec in pyproject["project"]["dependencies"]}
    assert new <= direct
    todo, brought = list(new), set()
    while todo:
        name = todo.pop()
        if name in brought:
            continue
        brought.add(name)
        todo.extend(required(name) - {"numpy", "charset-normalizer", "regex"})  # numpy comes with spaCy; the others listed already
    missing = sorted(name for name in brought if name not in listed)
    assert not missing, f"not in the About dialog: {missing}"
    rows = {dialog.components[r].name: r for r in range(dialog.table.rowCount())}
    for name in ("trafilatura", "pypdf", "pyqtgraph", "RapidFuzz", "anyascii"):
        row = rows[name]
        assert dialog.table.item(row, 1).text()[0].isdigit(), name
        assert licence_texts(dialog.components[row]), f"{name} has no licence text"
