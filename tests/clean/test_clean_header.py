"""Title, publisher and publication date from the head of a scraped text (fictional lines)."""

from __future__ import annotations

import pytest

from newsloom.clean import CleanData
from newsloom.clean.header import byline_author, date_line, dateline, extract_header, looks_like_headline

BODY_EN = (
    "Floods cut off three villages in the hills on Tuesday after two days of heavy rain, the "
    "disaster agency said, and hundreds of residents were moved to schools on higher ground."
)


@pytest.fixture(scope="session")
def data() -> CleanData:
    return CleanData.load()


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Tuesday, 09 Mar 2021 14:05 WIB", "2021-03-09T14:05:00+07:00"),
        ("March 9, 2021 at 2:05 pm", "2021-03-09T14:05:00"),
        ("Published: 9 March 2021", "2021-03-09"),
        ("Selasa, 9 Maret 2021", "2021-03-09"),
        ("Rabu, 10 Maret 2021 | 09:15 WIB", "2021-03-10T09:15:00+07:00"),
        ("الثلاثاء 9 مارس 2021", "2021-03-09"),
        ("الثلاثاء ٩ مارس ٢٠٢١", "2021-03-09"),
        ("Dienstag, 9. März 2021, 14:05 Uhr", "2021-03-09T14:05:00"),
    ],
)
def test_bare_timestamp_lines(data, line, iso):
    assert date_line(line, data) == iso


@pytest.mark.parametrize(
    "line",
    ["March 9", "Home News World 2021", BODY_EN, "The 2021 budget was approved on 9 March by the council."],
)
def test_not_a_timestamp_line(data, line):
    assert date_line(line, data) is None


@pytest.mark.parametrize(
    ("lang", "lines", "title", "publisher", "published", "date_line_index"),
    [
        # wire dateline: the agency is the publisher, the prefix stays in the text
        (
            "en",
            ["Floods cut off three villages", "JAKARTA, March 9 (Reuters) -- " + BODY_EN],
            "Floods cut off three villages",
            "Reuters",
            None,
            None,
        ),
        # "Site - Title"
        (
            "id",
            [
                "Kabar Kota - Banjir rendam ratusan rumah di Semarang",
                "Selasa, 9 Maret 2021",
                "Semarang, KOMPAS.com - Banjir merendam ratusan rumah warga di Semarang.",
            ],
            "Banjir rendam ratusan rumah di Semarang",
            "Kabar Kota",
            "2021-03-09",
            1,
        ),
        # "Title | Site" and a timestamp line under it
        (
            "en",
            ["Floods cut off three villages | The Hill Times", "Tuesday, 09 Mar 2021 14:05 WIB", BODY_EN],
            "Floods cut off three villages",
            "The Hill Times",
            "2021-03-09T14:05:00+07:00",
            1,
        ),
        # site dateline "City, SITE.COM -"
        (
            "id",
            [
                "Banjir rendam ratusan rumah di Semarang",
                "Semarang, KABARKOTA.com - Banjir merendam ratusan rumah warga di Semarang pada Selasa.",
            ],
            "Banjir rendam ratusan rumah di Semarang",
            "KABARKOTA.com",
            None,
            None,
        ),
        # Arabic: title, timestamp line, agency dateline
        (
            "ar",
            [
                "افتتاح مكتبة عامة جديدة في حي الزيتون",
                "الثلاثاء 9 مارس 2021",
                "القاهرة (وكالة الأنباء) - افتتحت البلدية يوم الاثنين مكتبة عامة جديدة في حي الزيتون.",
            ],
            "افتتاح مكتبة عامة جديدة في حي الزيتون",
            "وكالة الأنباء",
            "2021-03-09",
            1,
        ),
        # wire dateline with a full date
        (
            "en",
            ["Floods cut off three villages", "JAKARTA, March 9, 2021 (AP) — " + BODY_EN],
            "Floods cut off three villages",
            "AP",
            "2021-03-09",
            None,
        ),
    ],
)
def test_extract_header(data, lang, lines, title, publisher, published, date_line_index):
    head = extract_header(lines, data)
    assert head.title == title
    assert head.title_line == 0
    assert head.publisher == publisher
    assert head.published == published
    assert head.date_line == date_line_index


def test_repeated_title_is_found_below_the_menu(data):
    lines = [
        "Home",
        "News",
        "Floods cut off three villages in the hills",
        "Menu",
        "Floods cut off three villages in the hills",
        BODY_EN,
    ]
    head = extract_header(lines, data)
    assert head.title == "Floods cut off three villages in the hills"
    assert head.title_line == 2
    assert head.repeated_title_lines == [4]


def test_body_sentence_is_not_a_title(data):
    head = extract_header([BODY_EN, BODY_EN.replace("Floods", "Rains")], data)
    assert head.title is None
    assert not looks_like_headline(BODY_EN)


def test_dateline_forms(data):
    assert dateline("(EFE).- La deuda externa aumentó.", data) == ("EFE", None)
    assert dateline(BODY_EN, data) == (None, None)


def test_empty_input(data):
    head = extract_header([], data)
    assert head.title is None and head.publisher is None and head.published is None


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe, Westmere Gazette", "Jane Doe"),
        ("By Harbour Wire  |  Mar 16, 2021, 9:40 PM", "Harbour Wire"),
        ("Oleh Siti Rahma", "Siti Rahma"),
        ("Penulis: Tim Kabar Kota | Editor: Budi Santoso", "Tim Kabar Kota"),
        ("Von Hans Beispiel - 12.03.2021", "Hans Beispiel"),
        ("كتب: أحمد المثال", "أحمد المثال"),
        ("by the way the barrier was raised twice during the storms", None),
        ("The barrier was raised", None),
    ],
)
def test_byline_author(data, line, author):
    assert byline_author(line, data) == author


def test_extract_header_takes_the_author_from_the_byline(data):
    head = extract_header(["Harbour town opens new flood barrier", "By Jane Doe", BODY_EN], data)
    assert (head.byline_line, head.author) == (1, "Jane Doe")


@pytest.mark.parametrize(
    ("head", "title", "publisher"),
    [
        (["Harbour Chronicle", "World  |  Business  |  Sport", "Dockers end strike after pay deal in Port Alma",
          "March 9, 2021", "Dock workers returned on Monday."],
         "Dockers end strike after pay deal in Port Alma", "Harbour Chronicle"),
        (["WARTA PESISIR", "Terkini | Nasional | Dunia", "Nelayan Tolak Rencana Reklamasi Teluk Lerin",
          "Oleh Siti Aminah"], "Nelayan Tolak Rencana Reklamasi Teluk Lerin", "Warta Pesisir"),
        (["KABARPESISIR.ID", "Home / Daerah / Peristiwa", "Jembatan Putus, Warga Desa Lerin Terisolasi",
          "Kamis, 4 Maret 2021 - 20:05"], "Jembatan Putus, Warga Desa Lerin Terisolasi", "KABARPESISIR.ID"),
        (["صوت الساحل", "الرئيسية | أخبار | اقتصاد | رياضة", "الصيادون يرفضون خطة ردم خليج ليرين بالكامل",
          "الثلاثاء 09 مارس 2021"], "الصيادون يرفضون خطة ردم خليج ليرين بالكامل", "صوت الساحل"),
    ],
)
def test_masthead_over_menu_is_the_publisher_not_the_title(head, title, publisher):
    from newsloom.clean.header import extract_header
    from newsloom.clean.lines import CleanData

    h = extract_header(head, CleanData.load())
    assert (h.title, h.publisher) == (title, publisher)


def test_a_headline_first_line_is_still_the_title():
    from newsloom.clean.header import extract_header
    from newsloom.clean.lines import CleanData

    h = extract_header(["Flash floods cut off three villages near Lerin", "LERIN, March 4 (NusaPress) -- Floods..."],
                       CleanData.load())
    assert h.title == "Flash floods cut off three villages near Lerin"


def test_a_menu_set_apart_by_spaces_is_not_the_title():
    from newsloom.clean.stage import clean_text
    from newsloom.clean.lines import CleanData

    raw = ("Beranda  Nasional  Daerah  Ekonomi  Olahraga\n\nPelabuhan Lerin Ditutup Akibat Gelombang Tinggi\n"
           "Kamis, 4 Maret 2021 | 15:47 WIB\n\nLERIN - Otoritas pelabuhan menutup pelabuhan Lerin sejak Rabu "
           "malam karena gelombang setinggi empat meter, kata kepala syahbandar kepada wartawan.\n")
    result = clean_text(raw, CleanData.load())
    assert result.header.title == "Pelabuhan Lerin Ditutup Akibat Gelombang Tinggi"
    assert "Beranda" not in result.text


def test_masthead_over_a_section_label():
    from newsloom.clean.header import extract_header
    from newsloom.clean.lines import CleanData

    h = extract_header(["Gaceta del Puerto", "Medio ambiente", "Una mancha de fuel alcanza la playa de Lerin",
                        "22 marzo, 2021"], CleanData.load())
    assert (h.title, h.publisher) == ("Una mancha de fuel alcanza la playa de Lerin", "Gaceta del Puerto")


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("1 settembre 2007", "2007-09-01"),  # Italian: no folder of its own, read through _base's list
        ("3 de março de 2021", "2021-03-03"),
        ("3 maart 2021", "2021-03-03"),
    ],
)
def test_header_dates_in_languages_without_a_folder(line, iso, data):
    assert date_line(line, data) == iso
