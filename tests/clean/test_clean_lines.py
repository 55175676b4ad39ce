"""Line classification: what is cut from scraped plain text, and for which reason.

Every article and clutter line here is fictional, written for these tests. Each case puts
one clutter line into a short article of its language and checks that exactly that line
is dropped, with the expected reason, while every paragraph of the article is kept.
"""

from __future__ import annotations

import re

import pytest

from newsloom.clean import CleanData, clean_text
from newsloom.clean.lines import REASONS, Line, best_stoplists, mark_numbered_lists, name_of, words_of
from newsloom.resources import languages, raw_file, schema, validate

# Fictional articles: a headline and four paragraphs each.
ARTICLES: dict[str, list[str]] = {
    "en": [
        "Harbour town opens new flood barrier after years of delays",
        (
            "The new flood barrier in the harbour town of Westmere was opened on Monday, three years after "
            "the work was first due to finish, and the council said it would protect more than two thousand "
            "homes from the kind of storm surge that flooded the old quay in the winter of 2019."
        ),
        (
            "Engineers said the barrier, which can be raised in less than an hour, had been tested twice "
            "during the autumn storms and had held back the water on both occasions, although some of the "
            "pumps had to be repaired after the second test."
        ),
        (
            "Residents who had waited for the work to be finished said they were relieved, but several of "
            "them told the meeting that the council should now turn its attention to the drains in the "
            "lower streets, which still overflow after heavy rain."
        ),
        (
            "The council expects to publish a report on the cost of the project before the end of the year, "
            "and the mayor said that the final bill would be higher than the figure that was given when the "
            "plan was approved."
        ),
    ],
    "id": [
        "Warga Desa Sukamaju gotong royong perbaiki jembatan yang putus",
        (
            "Ratusan warga Desa Sukamaju bergotong royong memperbaiki jembatan kayu yang putus diterjang "
            "banjir pada pekan lalu, karena jembatan itu adalah satu-satunya jalan bagi anak-anak untuk "
            "pergi ke sekolah di desa sebelah dan bagi petani untuk membawa hasil panen ke pasar."
        ),
        (
            "Kepala desa mengatakan bahwa pemerintah kabupaten sudah berjanji akan membangun jembatan baru "
            "dari beton, tetapi warga tidak mau menunggu terlalu lama sehingga mereka memutuskan untuk "
            "memperbaiki jembatan yang lama dengan bahan yang ada."
        ),
        (
            "Menurut warga, pekerjaan itu bisa selesai dalam tiga hari jika cuaca tetap cerah, dan mereka "
            "juga meminta bantuan dari para pemuda yang bekerja di kota untuk ikut pulang dan membantu "
            "pada akhir pekan ini."
        ),
        (
            "Pihak kabupaten menyatakan bahwa anggaran untuk jembatan baru sudah disiapkan dan pembangunan "
            "akan dimulai pada bulan depan setelah proses lelang selesai dilakukan oleh dinas pekerjaan umum."
        ),
    ],
    "ms": [
        "Penduduk kampung bina semula dewan orang ramai selepas ribut",
        (
            "Penduduk Kampung Seri Melati bergotong-royong membina semula dewan orang ramai yang rosak teruk "
            "akibat ribut pada minggu lalu, kerana dewan itu merupakan tempat utama bagi kelas mengaji, "
            "mesyuarat penduduk dan majlis perkahwinan di kampung tersebut."
        ),
        (
            "Ketua kampung berkata pihak majlis daerah telah berjanji untuk memberikan peruntukan bagi kerja "
            "baik pulih, tetapi penduduk tidak mahu menunggu terlalu lama dan memutuskan untuk memulakan "
            "kerja dengan bahan yang telah dikumpulkan oleh mereka sendiri."
        ),
        (
            "Menurut penduduk, kerja-kerja itu dijangka siap dalam masa dua minggu sekiranya cuaca baik, dan "
            "mereka juga mengajak anak-anak muda yang bekerja di bandar untuk pulang dan membantu pada hujung "
            "minggu ini."
        ),
        (
            "Pihak majlis daerah menyatakan bahawa peruntukan untuk kerja baik pulih telah diluluskan dan "
            "wang tersebut akan disalurkan kepada jawatankuasa kampung dalam masa terdekat."
        ),
    ],
    "ar": [
        "افتتاح مكتبة عامة جديدة في حي الزيتون بعد سنوات من الانتظار",
        (
            "افتتحت البلدية يوم الاثنين مكتبة عامة جديدة في حي الزيتون، بعد سنوات من الانتظار، وقال رئيس "
            "البلدية إن المكتبة ستكون مفتوحة للطلاب والعائلات طوال أيام الأسبوع، وإنها تضم أكثر من عشرين ألف "
            "كتاب باللغتين العربية والإنجليزية."
        ),
        (
            "وأضاف أن المبنى الذي كان مدرسة قديمة تم ترميمه بالكامل، وأن قاعة كبيرة في الطابق الأول ستخصص "
            "للأنشطة الثقافية والمحاضرات التي سينظمها سكان الحي بالتعاون مع الجمعيات المحلية."
        ),
        (
            "وقال عدد من السكان إنهم كانوا ينتظرون هذا المشروع منذ وقت طويل، لأن أقرب مكتبة كانت في وسط "
            "المدينة، وكان على الطلاب أن يقطعوا مسافة طويلة من أجل الوصول إليها بعد انتهاء الدوام المدرسي."
        ),
        (
            "ومن المتوقع أن تفتتح البلدية مكتبتين أخريين في العام المقبل، في حال توفر التمويل اللازم من "
            "الحكومة ومن المتبرعين الذين ساهموا في هذا المشروع."
        ),
    ],
    "de": [
        "Neue Fahrradbrücke über den Kanal nach zwei Jahren Bauzeit eröffnet",
        (
            "Die neue Fahrradbrücke über den Kanal im Osten der Stadt ist am Montag nach zwei Jahren Bauzeit "
            "eröffnet worden, und die Stadtverwaltung rechnet damit, dass sie jeden Tag von mehr als "
            "dreitausend Menschen auf dem Weg zur Arbeit oder zur Schule genutzt wird."
        ),
        (
            "Der Bau hatte sich verzögert, weil bei den Arbeiten am Ufer alte Fundamente gefunden wurden, "
            "die erst von Fachleuten untersucht werden mussten, bevor die Arbeiten an den Pfeilern der Brücke "
            "weitergehen konnten."
        ),
        (
            "Anwohner, die bisher einen Umweg von mehr als zwei Kilometern fahren mussten, zeigten sich bei "
            "der Eröffnung zufrieden, auch wenn einige von ihnen kritisierten, dass die Beleuchtung auf der "
            "Brücke noch nicht fertig ist."
        ),
        (
            "Die Stadt will im kommenden Jahr eine zweite Brücke im Westen bauen, sofern das Land die "
            "versprochenen Mittel für den Radverkehr rechtzeitig bereitstellt und der Stadtrat dem Plan "
            "zustimmt."
        ),
    ],
}

# (lang, clutter line, reason, where it goes: "mid" between paragraphs 2 and 3, or "end")
CLUTTER: list[tuple[str, str, str, str]] = [
    # English
    ("en", "Share Facebook Twitter WhatsApp", "share-buttons", "mid"),
    ("en", "Leave a comment", "comment-form", "end"),
    ("en", "12 Comments", "comment-form", "end"),
    ("en", "Your email address will not be published. Required fields are marked *", "comment-form", "end"),
    ("en", "Sign up for our daily newsletter", "newsletter", "mid"),
    ("en", "Follow Westmere Gazette on Google News", "newsletter", "end"),
    ("en", "Read more: Council approves new budget for the harbour", "read-also", "mid"),
    ("en", "Related: Storm damage closes the old quay", "read-also", "mid"),
    ("en", "IMG_2034.jpg", "image-credit", "mid"),
    ("en", "(Photo: AFP)", "image-credit", "mid"),
    ("en", "Photo: Reuters/Jane Doe", "image-credit", "mid"),
    ("en", "Tags: floods, harbour, council", "site-furniture", "end"),
    ("en", "Copyright © 2021 Westmere Gazette. All rights reserved.", "site-furniture", "end"),
    ("en", "About Jane Doe 1234 Articles", "site-furniture", "end"),
    ("en", "Home > News > Local", "site-furniture", "mid"),
    ("en", "We use cookies to improve your experience on our site.", "cookie-notice", "end"),
    ("en", "Advertisement", "advertisement", "mid"),
    ("en", "Best online casino bonus jackpot, win real money today", "spam", "mid"),
    ("en", "https://example.com/news/harbour-barrier", "site-furniture", "mid"),
    (
        "en",
        "Volunteers fill sandbags on the old quay on Sunday. (Photo: Jane Doe/Westmere Gazette)",
        "image-credit",
        "mid",
    ),
    (
        "en",
        "This story is part of our free Harbour Watch service. Subscribe for full access to tide data.",
        "newsletter",
        "end",
    ),
    # Indonesian
    ("id", "Bagikan", "share-buttons", "mid"),
    ("id", "Bagikan artikel ini", "share-buttons", "mid"),
    ("id", "Baca juga: Harga cabai naik menjelang Lebaran", "read-also", "mid"),
    ("id", "Simak berita dan artikel lainnya di Google News", "newsletter", "end"),
    ("id", "Ikuti kami di Telegram untuk berita terbaru", "newsletter", "end"),
    ("id", "Tulis komentar", "comment-form", "end"),
    ("id", "Komentar", "comment-form", "end"),
    ("id", "Foto: Antara/Budi Santoso", "image-credit", "mid"),
    (
        "id",
        "Warga mengisi karung pasir di dermaga lama, Minggu (7/3). (Foto: Dok. BPBD Kota)",
        "image-credit",
        "mid",
    ),
    ("id", "Editor: Siti Rahma", "site-furniture", "end"),
    ("id", "Situs slot gacor maxwin hari ini terpercaya", "spam", "mid"),
    ("id", "Beranda > Berita > Daerah", "site-furniture", "mid"),
    # Malay
    ("ms", "Kongsi artikel ini", "share-buttons", "mid"),
    ("ms", "Baca juga: Harga minyak masak turun minggu ini", "read-also", "mid"),
    ("ms", "Tinggalkan komen anda", "comment-form", "end"),
    ("ms", "Ikuti kami di Telegram untuk berita terkini", "newsletter", "end"),
    ("ms", "Gambar hiasan", "image-credit", "mid"),
    ("ms", "Hak cipta terpelihara 2021", "site-furniture", "end"),
    # Arabic
    ("ar", "شارك", "share-buttons", "mid"),
    ("ar", "شارك على فيسبوك تويتر واتساب", "share-buttons", "mid"),
    ("ar", "اقرأ أيضا: ارتفاع أسعار الخضار في الأسواق", "read-also", "mid"),
    ("ar", "صورة أرشيفية", "image-credit", "mid"),
    ("ar", "تابعونا على تيليجرام", "newsletter", "end"),
    ("ar", "أضف تعليقك", "comment-form", "end"),
    ("ar", "جميع الحقوق محفوظة 2021", "site-furniture", "end"),
    ("ar", "الوسوم: مكتبة، ثقافة", "site-furniture", "end"),
    # German
    ("de", "Lesen Sie auch: Stadtrat beschließt neuen Haushalt", "read-also", "mid"),
    ("de", "Artikel teilen", "share-buttons", "mid"),
    ("de", "Teilen auf Facebook", "share-buttons", "mid"),
    ("de", "Newsletter abonnieren", "newsletter", "end"),
    ("de", "Schreibe einen Kommentar", "comment-form", "end"),
    ("de", "Ihre E-Mail-Adresse wird nicht veröffentlicht.", "comment-form", "end"),
    ("de", "Foto: dpa/Max Muster", "image-credit", "mid"),
    ("de", "Anzeige", "advertisement", "mid"),
    ("de", "Diese Website verwendet Cookies.", "cookie-notice", "end"),
    ("de", "Schlagwörter: Radverkehr, Brücke", "site-furniture", "end"),
]

# (lang, line, where): content that looks a little like clutter but must stay
KEEP: list[tuple[str, str, str]] = [
    ("en", "“We will not give up,” the mayor said.", "mid"),
    ("en", "The pumps were repaired within a week.", "mid"),
    (
        "en",
        "WESTMERE, March 9 (Reuters) -- The barrier was raised for the first time on Monday night.",
        "mid",
    ),
    ("id", "“Kami tidak akan menyerah,” kata kepala desa.", "mid"),
    ("ar", "وقال رئيس البلدية: «هذه المكتبة لكل السكان».", "mid"),
    ("de", "„Wir haben lange gewartet“, sagte eine Anwohnerin.", "mid"),
    ("ms", "“Kami tidak mahu menunggu lagi,” kata ketua kampung.", "mid"),
]


@pytest.fixture(scope="session")
def data() -> CleanData:
    return CleanData.load()


def _article(lang: str, extra: str, where: str) -> tuple[str, list[str]]:
    title, *body = ARTICLES[lang]
    lines = [title, *body[:2]]
    if where == "mid":
        lines.append(extra)
    lines += body[2:]
    if where == "end":
        lines.append(extra)
    return "\n".join(lines), body


@pytest.mark.parametrize(("lang", "line", "reason", "where"), CLUTTER)
def test_clutter_line_is_dropped_with_its_reason(data, lang, line, reason, where):
    raw, body = _article(lang, line, where)
    result = clean_text(raw, data)
    dropped = {r.text: r.reason for r in result.removed}
    assert dropped.get(line) == reason, f"{line!r}: {dropped.get(line)!r}"
    assert result.paragraphs == body


@pytest.mark.parametrize(("lang", "line", "where"), KEEP)
def test_content_line_is_kept(data, lang, line, where):
    raw, body = _article(lang, line, where)
    result = clean_text(raw, data)
    assert line in result.paragraphs
    assert all(p in result.paragraphs for p in body)


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_clean_article_loses_only_its_title(data, lang):
    raw, body = _article(lang, "", "none")
    result = clean_text(raw, data)
    assert result.paragraphs == body
    assert [r.reason for r in result.removed] == ["header:title"]


def test_menu_run_and_comment_section(data):
    title, *body = ARTICLES["en"]
    menu = ["Home", "News", "Sport", "Business", "Opinion", "Contact"]
    comments = [
        "3 Comments",
        "Tom Miller says:",
        "I have lived here for twenty years and this is the first time that the council has finished anything on time.",
        "Reply",
    ]
    raw = "\n".join([title, *menu, *body, *comments])
    result = clean_text(raw, data)
    assert result.paragraphs == body
    reasons = {r.text: r.reason for r in result.removed}
    assert all(reasons[m] in ("menu", "site-furniture") for m in menu)
    assert reasons["3 Comments"] == "comment-form"
    assert reasons[comments[2]] == "comments"


def test_repeated_title_in_body_is_dropped(data):
    title, *body = ARTICLES["en"]
    raw = "\n".join([f"{title} | Westmere Gazette", title, *body])
    result = clean_text(raw, data)
    assert result.header.title == title
    assert result.header.publisher == "Westmere Gazette"
    assert {r.reason for r in result.removed} == {"header:title", "repeated-title"}
    assert result.paragraphs == body


def test_spam_needs_foreign_vocabulary(data):
    # the same commercial words are content when the article is about them
    body = [
        (
            "The online casino that opened in the old cinema last year has been fined by the regulator, "
            "which said the casino had offered a bonus to players who lost money at the tables."
        ),
        (
            "The regulator said the bonus scheme broke the rules on gambling adverts, and the casino "
            "owners said they would appeal against the fine in the coming weeks."
        ),
    ]
    line = "Casino bonus for online players ends after regulator fine"
    raw = "\n".join([body[0], line, body[1]])
    result = clean_text(raw, data)
    assert "spam" not in {r.reason for r in result.removed}


def test_stoplist_is_chosen_by_the_prose(data):
    lines = [Line(index=i, text=t, words=words_of(t)) for i, t in enumerate(ARTICLES["de"])]
    lists, coverage = best_stoplists(lines, data)
    assert lists and "und" in lists[0] and coverage > 0.3


@pytest.mark.parametrize("lang", ["_base", *languages()])
def test_clutter_files_are_valid(lang):
    if not raw_file(lang, "clutter"):
        pytest.skip(f"{lang} has no clutter.yaml")
    assert validate(lang, "clutter") == []
    spec = schema()["clutter"]
    for key, values in raw_file(lang, "clutter").items():
        assert spec[key] == "list"
        for value in values:
            assert isinstance(value, str), f"{lang} {key}: {value!r} is not a string (quote it in YAML)"
            if key not in ("share_words", "share_glue", "spam_terms", "nav_words", "title_separators"):
                re.compile(value)


def test_every_pattern_category_has_a_reason():
    assert set(REASONS) <= set(schema()["clutter"])


def _lines(texts: list[str]) -> list[Line]:
    return [Line(index=i, text=t, words=words_of(t)) for i, t in enumerate(texts)]


def test_numbered_lists_are_found_by_their_sequence():
    lines = _lines(["1. Flour", "2. Two eggs", "Whisk well", "3. Milk", "7. Salt", "8. Pepper", "Intro"])
    mark_numbered_lists(lines)
    assert [ln.listed for ln in lines] == [True, True, False, True, False, False, False]
    countdown = _lines(["10. Westmere", "9. Eastbury", "8. Northgate"])
    mark_numbered_lists(countdown)
    assert all(ln.listed for ln in countdown)


def test_numbered_list_closing_an_article_is_kept(data):
    title, *body = ARTICLES["en"]
    items = ["1. The old quay", "2. The lower streets", "3. The harbour school", "4. The fish market"]
    raw = "\n".join(
        [title, *body, "The streets the barrier protects:", *items, "Copyright © 2021 Westmere Gazette"]
    )
    result = clean_text(raw, data)
    assert all(item in result.paragraphs for item in items)
    assert "Copyright © 2021 Westmere Gazette" not in result.paragraphs


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Jane Doe", ["jane", "doe"]),
        ("About Jane Doe", ["about", "jane", "doe"]),
        ("Jane", []),
        ("Jane Doe says:", []),
        ("the harbour master", []),
    ],
)
def test_name_of(line, name):
    assert name_of(_lines([line])[0]) == name


def test_author_bio_after_the_article_is_dropped(data):
    title, *body = ARTICLES["en"]
    bio = "Jane Doe is a reporter who has covered the harbour and its floods for the Gazette since 2015."
    raw = "\n".join([title, *body, "Jane Doe", "Follow Us", bio, "Leave a comment"])
    result = clean_text(raw, data)
    assert result.paragraphs == body
    assert {r.text: r.reason for r in result.removed}[bio] == "author-bio"


def test_paragraph_about_a_named_person_inside_the_article_is_kept(data):
    title, *body = ARTICLES["en"]
    caption = "Mary Stone"
    about = "Mary Stone, who runs the bakery on the quay, said the barrier had come too late for her shop."
    raw = "\n".join([title, body[0], caption, about, *body[1:]])
    result = clean_text(raw, data)
    assert about in result.paragraphs
    assert all(p in result.paragraphs for p in body)


def test_pitch_after_a_newsletter_call_at_the_end_is_dropped(data):
    title, *body = ARTICLES["en"]
    tail = ["Sign up for our daily newsletter", "The best of Westmere in your morning email.", "Sign Me Up"]
    raw = "\n".join([title, *body, *tail])
    result = clean_text(raw, data)
    assert result.paragraphs == body


def test_short_closing_sentence_joins_the_article(data):
    title, *body = ARTICLES["en"]
    closing = "The work will go on next year."
    raw = "\n".join([title, *body, closing, "Tags: floods, harbour", "3 Comments"])
    result = clean_text(raw, data)
    assert result.paragraphs == [*body, closing]


def test_teaser_echoing_the_next_paragraph_is_dropped(data):
    title, *body = ARTICLES["en"]
    teaser = " ".join(body[0].split()[:12]) + " ..."
    raw = "\n".join([title, teaser, *body])
    result = clean_text(raw, data)
    assert result.paragraphs == body
    assert {r.text: r.reason for r in result.removed}[teaser] == "repeated-line"


def test_text_after_a_closing_menu_is_dropped(data):
    title, *body = ARTICLES["en"]
    menu = ["Home", "News", "Sport"]
    blurb = (
        "We are the paper of the town and of all the people who live on the coast, and we have told "
        "their stories since the first edition came out in 1901."
    )
    raw = "\n".join([title, *body, *menu, blurb, "Copyright © 2021 Westmere Gazette"])
    result = clean_text(raw, data)
    assert result.paragraphs == body
