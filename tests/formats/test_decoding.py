import codecs

import pytest

from annotator.formats.decoding import NotText, decode

RUSSIAN = "Министр иностранных дел России Сергей Лавров заявил, что переговоры продолжатся.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café 😀 Lavrov\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Café 😀 Lavrov\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Café 😀 Lavrov\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Café 😀 Lavrov\n".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "Café 😀 Lavrov\n".encode("utf-32-le"), "utf-32"),
    ],
)
def test_unicode_encodings_decode_exactly_and_drop_the_bom(data, encoding):
    assert decode(data) == ("Café 😀 Lavrov\n", encoding)


def test_legacy_cyrillic_code_page_is_recognised():
    text, encoding = decode((RUSSIAN * 3).encode("cp1251"))
    assert (text, encoding) == (RUSSIAN * 3, "cp1251")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Привет, мир", "cp1251"),
        ("Лавров", "cp1251"),
        ("Путин", "cp1251"),
        ("Київ і Львів", "cp1251"),
        ("Сергей Лавров — «Итоги»", "cp1251"),
        ("Привет, мир", "koi8_r"),
        ("Москва", "cp866"),
        ("Zürich", "cp1252"),
        ("naïve café", "cp1252"),
        ("señor", "cp1252"),
        ("Crème brûlée", "cp1252"),
        ("Über München nach Köln – 5 €", "cp1252"),
        ("Zażółć gęślą jaźń", "cp1250"),
        ("Łódź i Kraków", "cp1250"),
        ("Ελληνικά νέα", "cp1253"),
    ],
)
def test_short_legacy_texts_are_not_garbled(text, encoding):
    # Short texts give a detector little to go on; these were misread as big5, cp1125 or UTF-16 once.
    assert decode(text.encode(encoding))[0] == text


def test_line_endings_are_normalised():
    assert decode(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"


def test_a_bom_inside_the_text_is_kept():
    assert decode("a\ufeffb".encode("utf-8"))[0] == "a\ufeffb"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "NUL bytes"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "NUL bytes"),
        (b"text with a NUL\x00 inside", "NUL bytes"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(NotText, match=reason):
        decode(data)
