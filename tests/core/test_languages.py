"""Language detection by script: what each document's pipeline is chosen by."""

from __future__ import annotations

import pytest

from annotator.core.languages import checked_language, described, detect_language, given_language, language_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ראש הממשלה אמר היום כי השיחות יימשכו.", "he"),
        ("قال رئيس الوزراء اليوم إن المحادثات ستستمر.", "ar"),
        ("นายกรัฐมนตรีกล่าวว่าการเจรจาจะดำเนินต่อไป", "th"),
        ("प्रधानमंत्री ने कहा कि बातचीत जारी रहेगी।", "hi"),
        ("Վարչապետը ասաց, որ բանակցությունները կշարունակվեն։", "hy"),
        ("Министр иностранных дел заявил, что переговоры продолжатся.", "ru"),
        ("外交部长周二表示谈判将继续。", "zh"),
        ("外務大臣は火曜日、交渉は続くと述べた。", "ja"),  # kana among the Han characters
        ("외교부 장관은 화요일 협상이 계속될 것이라고 말했다.", "ko"),
        ("Ο υπουργός Εξωτερικών δήλωσε ότι οι συνομιλίες θα συνεχιστούν.", "el"),
        ("Sergey Lavrov said the talks would go on.", "en"),
        ("", "en"),
        ("12 345 — 2026", "en"),  # no letters: the default
    ],
)
def test_a_texts_script_gives_its_language(text, expected):
    assert detect_language(text) == expected, f"{text!r}: expected {expected}"


def test_latin_letters_get_the_default_and_a_few_foreign_names_do_not_outvote_the_text():
    assert detect_language("Der Minister sagte, die Gespräche gingen weiter.", default="de") == "de"
    text = "Benjamin Netanyahu (בנימין נתניהו) said on Tuesday that the talks in Jerusalem would go on for weeks."
    assert detect_language(text) == "en"
    assert detect_language("ראש הממשלה Benjamin Netanyahu אמר היום בירושלים כי השיחות יימשכו") == "he"


def test_the_sources_own_field_wins_in_any_usual_spelling():
    assert given_language({"language": "he-IL"}) == "he"
    assert given_language({"lang": "EN_us"}) == "en"
    assert given_language({"language": 5, "lang": "ar"}) == "ar"
    assert given_language({"language": "Hebrew and English"}) is None  # not a code: the script decides
    assert language_of({"lang": "de"}, "ראש הממשלה אמר") == "de"
    assert language_of({}, "ראש הממשלה אמר") == "he"


def test_a_typed_code_is_checked_with_a_message_that_says_what_one_looks_like():
    assert checked_language(" HE ") == "he"
    with pytest.raises(ValueError, match="'hebrew' is not a language code: expected two or three letters"):
        checked_language("hebrew")
    assert described("he") == "he (Hebrew)" and described("qq") == "qq"
