"""Golden date cases written for newsloom (fictional sentences): (lang, published, sentence, expected).

``expected`` lists every date the sentence holds as (exact span text, ISO value), in order.
"""

from __future__ import annotations

import pytest

from newsloom.dates.extract import find_dates

P = "2021-03-10"  # a Wednesday
J = "2021-01-10"  # a Sunday

EN = [
    ("en", P, "Talks resumed on Tuesday in Cairo.", [("Tuesday", "2021-03-09")]),
    ("en", P, "The minister spoke on Wednesday.", [("Wednesday", "2021-03-10")]),
    ("en", P, "Police said on Sunday that the road was closed.", [("Sunday", "2021-03-07")]),
    ("en", P, "The market was shelled last Thursday.", [("Thursday", "2021-03-04")]),
    ("en", P, "The agreement was signed on 9 March 2021.", [("9 March 2021", "2021-03-09")]),
    ("en", P, "The agreement was signed on March 9, 2021.", [("March 9, 2021", "2021-03-09")]),
    ("en", P, "It was signed on March 9th.", [("March 9th", "2021-03-09")]),
    ("en", P, "It was signed on the 9th of March.", [("9th of March", "2021-03-09")]),
    ("en", P, "Exports fell in March 2021.", [("March 2021", "2021-03")]),
    ("en", P, "Exports fell in February, officials said.", [("February", "2021-02")]),
    ("en", P, "Elections are due in May.", [("May", "2021-05")]),
    ("en", P, "The survey ended in December.", [("December", "2020-12")]),
    ("en", P, "Talks will resume on 15 January.", [("15 January", "2021-01-15")]),
    ("en", J, "The flood struck on 20 December.", [("20 December", "2020-12-20")]),
    ("en", P, "The vote is set for 20 March.", [("20 March", "2021-03-20")]),
    ("en", None, "Talks will resume on 15 January.", [("15 January", "--01-15")]),
    ("en", None, "Talks resumed on Tuesday in Cairo.", []),
    ("en", None, "Exports fell in March 2021.", [("March 2021", "2021-03")]),
    ("en", P, "The dam was built in 1998.", [("1998", "1998")]),
    ("en", P, "Prices have risen since 2019.", [("2019", "2019")]),
    ("en", P, "Yesterday the army withdrew.", [("Yesterday", "2021-03-09")]),
    ("en", P, "The rebels attacked the town yesterday.", [("yesterday", "2021-03-09")]),
    ("en", P, "Talks will continue tomorrow.", [("tomorrow", "2021-03-11")]),
    ("en", P, "Exports doubled last month.", [("last month", "2021-02")]),
    ("en", P, "The plant will reopen next month.", [("next month", "2021-04")]),
    ("en", P, "Trade fell last year.", [("last year", "2020")]),
    ("en", P, "The port should be finished by the end of this year.", [("end of this year", "2021")]),
    ("en", P, "The ship ran aground two days ago.", [("two days ago", "2021-03-08")]),
    # "N weeks ago" names a day, 7N days back (was an ISO week; MEANTIME gold reads it as a day)
    ("en", P, "The ship ran aground 3 weeks ago.", [("3 weeks ago", "2021-02-17")]),
    ("en", P, "The ship ran aground three months ago.", [("three months ago", "2020-12")]),
    ("en", P, "The talks collapsed last week.", [("last week", "2021-W09")]),
    ("en", P, "The report is dated 2021-03-09.", [("2021-03-09", "2021-03-09")]),
    ("en", P, "The report is dated 3/9/2021.", [("3/9/2021", "2021-03-09")]),
    ("en", P, "The report is dated Sept. 9, 2020.", [("Sept. 9, 2020", "2020-09-09")]),
    ("en", P, "On Tuesday, March 9, 2021, talks began.", [("Tuesday, March 9, 2021", "2021-03-09")]),
    ("en", P, "You may leave now, the officer said.", []),
    ("en", P, "May I ask a question?", []),
    ("en", P, "The army sent 2021 soldiers at 10:30.", []),
    ("en", P, "He scored 12 points in 48 minutes.", []),
    ("en", P, "The agreement, signed on 9 March 2021, took effect on 16 March.",
     [("9 March 2021", "2021-03-09"), ("16 March", "2021-03-16")]),
    ("en", P, "Fighting stopped on Monday and resumed yesterday.", [("Monday", "2021-03-08"), ("yesterday", "2021-03-09")]),
    ("en", P, "The storm hit on 30 February.", []),
]

ID = [
    ("id", P, "Pada hari Selasa (9/3) warga mulai mengungsi.", [("Selasa (9/3)", "2021-03-09")]),
    ("id", P, "Selasa (9/3), banjir merendam tiga desa.", [("Selasa (9/3)", "2021-03-09")]),
    ("id", P, "Rapat digelar pada hari Senin.", [("Senin", "2021-03-08")]),
    ("id", P, "Rapat digelar hari Rabu.", [("Rabu", "2021-03-10")]),
    ("id", P, "Kapal itu tenggelam pada Jumat malam.", [("Jumat", "2021-03-05")]),
    ("id", P, "Pada hari Minggu, hujan turun deras.", [("Minggu", "2021-03-07")]),
    ("id", P, "Minggu lalu harga cabai naik.", [("Minggu lalu", "2021-W09")]),
    ("id", P, "Dalam satu minggu harga cabai naik.", []),
    ("id", P, "Kesepakatan ditandatangani pada 9 Maret 2021.", [("9 Maret 2021", "2021-03-09")]),
    ("id", P, "Kesepakatan ditandatangani pada 9 Maret.", [("9 Maret", "2021-03-09")]),
    ("id", J, "Banjir terjadi pada 20 Desember.", [("20 Desember", "2020-12-20")]),
    ("id", None, "Banjir terjadi pada 20 Desember.", [("20 Desember", "--12-20")]),
    ("id", None, "Pada hari Selasa (9/3) warga mulai mengungsi.", [("Selasa (9/3)", "--03-09")]),
    ("id", P, "Ekspor turun pada Maret 2021.", [("Maret 2021", "2021-03")]),
    ("id", P, "Ekspor turun pada bulan Februari.", [("Februari", "2021-02")]),
    ("id", P, "Jembatan itu dibangun pada tahun 1998.", [("1998", "1998")]),
    ("id", P, "Sejak 2019 harga terus naik.", [("2019", "2019")]),
    ("id", P, "Kemarin warga kembali ke rumah.", [("Kemarin", "2021-03-09")]),
    ("id", P, "Warga kembali ke rumah kemarin.", [("kemarin", "2021-03-09")]),
    ("id", P, "Hujan turun sejak tadi malam.", [("tadi malam", "2021-03-09")]),
    ("id", P, "Hari ini sekolah ditutup.", [("Hari ini", "2021-03-10")]),
    ("id", P, "Rapat akan dilanjutkan besok.", [("besok", "2021-03-11")]),
    ("id", P, "Ekspor naik dua kali lipat bulan lalu.", [("bulan lalu", "2021-02")]),
    ("id", P, "Pabrik dibuka kembali bulan depan.", [("bulan depan", "2021-04")]),
    ("id", P, "Perdagangan turun tahun lalu.", [("tahun lalu", "2020")]),
    ("id", P, "Pelabuhan selesai akhir tahun ini.", [("akhir tahun ini", "2021")]),
    ("id", P, "Kapal itu kandas dua hari lalu.", [("dua hari lalu", "2021-03-08")]),
    ("id", P, "Kapal itu kandas 3 hari yang lalu.", [("3 hari yang lalu", "2021-03-07")]),
    ("id", P, "Kapal itu kandas tiga tahun lalu.", [("tiga tahun lalu", "2018")]),
    ("id", P, "Harga naik pekan lalu.", [("pekan lalu", "2021-W09")]),
    ("id", P, "Laporan itu bertanggal 09/03/2021.", [("09/03/2021", "2021-03-09")]),
    ("id", P, "Laporan itu bertanggal 2021-03-09.", [("2021-03-09", "2021-03-09")]),
    ("id", P, "Senin (8/3/2021) polisi menangkap tiga orang.", [("Senin (8/3/2021)", "2021-03-08")]),
    ("id", P, "Rabu, 10 Maret 2021, pasar dibuka lagi.", [("Rabu, 10 Maret 2021", "2021-03-10")]),
    ("id", P, "Sebanyak 2021 warga mengungsi pukul 10.30 WIB.", []),
    ("id", P, "Harga naik 12 persen dalam 48 jam.", []),
    ("id", P, "Ia lahir di Jakarta.", []),
    ("id", P, "Gencatan senjata berlaku sejak 9 Maret dan diperpanjang kemarin.",
     [("9 Maret", "2021-03-09"), ("kemarin", "2021-03-09")]),
    ("id", P, "Banjir melanda Kamis (4/3) dan Jumat (5/3).", [("Kamis (4/3)", "2021-03-04"), ("Jumat (5/3)", "2021-03-05")]),
    ("id", P, "Laporan akhir diterbitkan pada Agustus 2020.", [("Agustus 2020", "2020-08")]),
    ("id", P, "Bantuan tiba 3 Januari 2021.", [("3 Januari 2021", "2021-01-03")]),
    ("id", P, "Tanggal 31 Februari tidak ada.", []),
]

AR = [
    ("ar", P, "استؤنفت المحادثات يوم الثلاثاء في القاهرة.", [("الثلاثاء", "2021-03-09")]),
    ("ar", P, "قال الوزير الأربعاء إن المحادثات ستستمر.", [("الأربعاء", "2021-03-10")]),
    ("ar", P, "وقع الهجوم يوم الأحد الماضي.", [("الأحد", "2021-03-07")]),
    ("ar", P, "اتفق الطرفان على الاثنين.", []),
    ("ar", P, "حضر الاثنين الاجتماع.", []),
    ("ar", P, "عقد الاجتماع يوم الاثنين.", [("الاثنين", "2021-03-08")]),
    ("ar", P, "وقع الاتفاق في 9 مارس 2021.", [("9 مارس 2021", "2021-03-09")]),
    ("ar", P, "وقع الاتفاق في 9 آذار 2021.", [("9 آذار 2021", "2021-03-09")]),
    ("ar", P, "وقع الاتفاق في 9 مارس/آذار 2021.", [("9 مارس/آذار 2021", "2021-03-09")]),
    ("ar", P, "وقع الاتفاق في ٩ مارس ٢٠٢١.", [("٩ مارس ٢٠٢١", "2021-03-09")]),
    ("ar", P, "وقع الاتفاق يوم الثلاثاء 9 مارس.", [("الثلاثاء 9 مارس", "2021-03-09")]),
    ("ar", P, "تستأنف المحادثات في 15 يناير.", [("15 يناير", "2021-01-15")]),
    ("ar", J, "وقعت الفيضانات في 20 ديسمبر.", [("20 ديسمبر", "2020-12-20")]),
    ("ar", None, "تستأنف المحادثات في 15 يناير.", [("15 يناير", "--01-15")]),
    ("ar", None, "استؤنفت المحادثات يوم الثلاثاء في القاهرة.", []),
    ("ar", P, "تراجعت الصادرات في مارس 2021.", [("مارس 2021", "2021-03")]),
    ("ar", P, "تراجعت الصادرات في شهر فبراير.", [("فبراير", "2021-02")]),
    ("ar", P, "بني السد عام 1998.", [("1998", "1998")]),
    ("ar", P, "ارتفعت الأسعار منذ عام 2019.", [("2019", "2019")]),
    ("ar", P, "انسحب الجيش أمس.", [("أمس", "2021-03-09")]),
    ("ar", P, "وصلت المساعدات وأمس غادر الوفد.", [("أمس", "2021-03-09")]),
    ("ar", P, "تتواصل المحادثات اليوم.", [("اليوم", "2021-03-10")]),
    ("ar", P, "تستأنف المحادثات غدا.", [("غدا", "2021-03-11")]),
    ("ar", P, "تضاعفت الصادرات الشهر الماضي.", [("الشهر الماضي", "2021-02")]),
    ("ar", P, "يفتتح المصنع الشهر المقبل.", [("الشهر المقبل", "2021-04")]),
    ("ar", P, "تراجعت التجارة العام الماضي.", [("العام الماضي", "2020")]),
    ("ar", P, "ينتهي المشروع بحلول نهاية العام الجاري.", [("نهاية العام الجاري", "2021")]),
    ("ar", P, "جنحت السفينة منذ يومين.", [("منذ يومين", "2021-03-08")]),
    ("ar", P, "جنحت السفينة قبل ثلاثة أيام.", [("قبل ثلاثة أيام", "2021-03-07")]),
    ("ar", P, "جنحت السفينة قبل 5 أيام.", [("قبل 5 أيام", "2021-03-05")]),
    ("ar", P, "انهارت المحادثات الأسبوع الماضي.", [("الأسبوع الماضي", "2021-W09")]),
    ("ar", P, "صدر التقرير في 2021-03-09.", [("2021-03-09", "2021-03-09")]),
    ("ar", P, "صدر التقرير في 9/3/2021.", [("9/3/2021", "2021-03-09")]),
    ("ar", P, "الثلاثاء، 9 مارس 2021، بدأت المحادثات.", [("الثلاثاء، 9 مارس 2021", "2021-03-09")]),
    ("ar", P, "وصل 2021 جنديا في الساعة 10:30.", []),
    ("ar", P, "ارتفعت الأسعار 12 بالمئة خلال 48 ساعة.", []),
    ("ar", P, "قال المتحدث إن الوضع هادئ.", []),
    ("ar", P, "وقع الاتفاق في 9 مارس ودخل حيز التنفيذ أمس.", [("9 مارس", "2021-03-09"), ("أمس", "2021-03-09")]),
    ("ar", P, "انتهت الجولة الأولى في 9 آذار وتبدأ الثانية في 16 آذار.",
     [("9 آذار", "2021-03-09"), ("16 آذار", "2021-03-16")]),
    ("ar", P, "صدر التقرير في أغسطس 2020.", [("أغسطس 2020", "2020-08")]),
    ("ar", P, "وصلت المساعدات في 3 كانون الثاني 2021.", [("3 كانون الثاني 2021", "2021-01-03")]),
    ("ar", P, "لا يوجد 31 فبراير.", []),
]

MS = [
    ("ms", P, "Rundingan disambung pada hari Selasa.", [("Selasa", "2021-03-09")]),
    ("ms", P, "Perjanjian ditandatangani pada 9 Mac 2021.", [("9 Mac 2021", "2021-03-09")]),
    ("ms", P, "Eksport jatuh bulan lepas.", [("bulan lepas", "2021-02")]),
    ("ms", P, "Hujan lebat sejak semalam.", [("semalam", "2021-03-09")]),
]

CASES = EN + ID + AR + MS


@pytest.mark.parametrize(("lang", "published", "sentence", "expected"), CASES)
def test_golden(lang, published, sentence, expected):
    found = find_dates(sentence, lang, published)
    for d in found:
        assert d.start < d.end and sentence[d.start:d.end] == sentence[d.start:d.end].strip()
    assert [(sentence[d.start:d.end], d.value) for d in found] == expected


def test_case_counts():
    for lang, table in (("en", EN), ("id", ID), ("ar", AR)):
        assert len(table) >= 40, lang
