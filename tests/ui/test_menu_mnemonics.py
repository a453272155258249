"""Alt and a letter reach each menu item: within one menu no two items share their underlined letter
(two would make the letter stop at the first and wait for Enter, as Curate and Restore from Backup did)."""

from collections import Counter

from PySide6.QtWidgets import QMenu


def mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return None if at < 0 else text.replace("&&", "")[at + 1].lower()


def test_every_menu_has_distinct_underlined_letters(show_window, project):
    window = show_window(project)
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert len(Counter(mnemonic(a.text()) for a in window.menuBar().actions())) == len(menus)
    while menus:
        menu = menus.pop()
        items = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        menus += [a.menu() for a in items if isinstance(a.menu(), QMenu)]
        letters = Counter(mnemonic(a.text()) for a in items if mnemonic(a.text()))
        shared = {letter: [a.text() for a in items if mnemonic(a.text()) == letter]
                  for letter, n in letters.items() if n > 1}
        assert not shared, f"{menu.title()}: {shared}"
