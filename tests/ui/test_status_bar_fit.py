"""The status bar keeps room for its messages: a label of its own (the suggestions' pipelines, whose work is
shown) is cut short with "…" past its width, and its tooltip holds the whole text."""

from annotator.ui.plain import fit_label


def test_a_long_status_label_is_cut_short_and_whole_in_its_tooltip(show_window, project):
    window = show_window(project)
    origins = ", ".join(f"a_very_long_pipeline_name_{n}@3.8.{n}" for n in range(6))
    label = window.suggested_by_label
    label.show()
    fit_label(label, f"en · suggestions: {origins}")
    assert label.text().endswith("…") and label.fontMetrics().horizontalAdvance(label.text()) <= 320
    assert origins.split(", ")[-1] in label.toolTip()
    window.statusBar().showMessage("Blind annotation on: each annotator sees only the suggestions and their own work.")
    window.statusBar().repaint()
    assert label.width() <= 330  # the message keeps the rest of the bar
    fit_label(label, "en · suggestions: none")
    assert label.text() == "en · suggestions: none" and label.toolTip() == ""
