"""Golden cases for the direction of dates (fictional sentences): direction words, tense cues,
bare months, year context, and years inferred without a publication date.

(lang, published, sentence, expected) where expected lists (exact span text, ISO value), in order.
The publication date P is Wednesday 10 March 2021.
"""

from __future__ import annotations

import pytest

from newsloom.dates.extract import find_dates

P = "2021-03-10"  # a Wednesday
S = "2009-09-07"  # a Monday in September

EN = [
    # a month with its year given relative to publication, or written after "of"; a range shares its year
    ("en", P, "He has been on leave since January of this year.", [("January of this year", "2021-01")]),
    ("en", P, "The fund bought the stake in April of last year.", [("April of last year", "2020-04")]),
    ("en", P, "The index peaked in September last year.", [("September last year", "2020-09")]),
    ("en", P, "Deliveries start in May next year.", [("May next year", "2022-05")]),
    ("en", P, "Since 2004 he has led the board, and since January of this year he is on leave.",
     [("2004", "2004"), ("January of this year", "2021-01")]),
    ("en", P, "The index rose between September and October of 2007.",
     [("September", "2007-09"), ("October of 2007", "2007-10")]),
    ("en", P, "The strike lasted from December to February 2019.", [("December", "2018-12"), ("February 2019", "2019-02")]),
    ("en", P, "The talks ran from 3 to 5 March 2019.", [("5 March 2019", "2019-03-05")]),
    # direction words: "last" is the latest one before publication, "next" the first one after it
    ("en", P, "Last May the plant closed.", [("May", "2020-05")]),
    ("en", P, "The plant closed last May.", [("May", "2020-05")]),
    ("en", P, "The plant closed last March.", [("March", "2020-03")]),
    ("en", P, "The plant closed last February.", [("February", "2021-02")]),
    ("en", P, "The plant reopens next May.", [("May", "2021-05")]),
    ("en", P, "The plant reopens next March.", [("March", "2022-03")]),
    ("en", P, "The plant reopens this May.", [("May", "2021-05")]),
    ("en", P, "The envoys meet next Monday.", [("Monday", "2021-03-15")]),
    ("en", P, "The envoys meet next Wednesday.", [("Wednesday", "2021-03-17")]),
    ("en", P, "The envoys met last Wednesday.", [("Wednesday", "2021-03-03")]),
    ("en", P, "The envoys met this past Monday.", [("Monday", "2021-03-08")]),
    ("en", P, "The envoys meet this coming Friday.", [("Friday", "2021-03-12")]),
    ("en", P, "The envoys meet this Friday.", [("Friday", "2021-03-12")]),
    # tense: a bare weekday is the latest on or before publication, unless the sentence looks ahead
    ("en", P, "The envoys met on Monday.", [("Monday", "2021-03-08")]),
    ("en", P, "The envoys will meet on Monday.", [("Monday", "2021-03-15")]),
    ("en", P, "The vote will be held on Friday.", [("Friday", "2021-03-12")]),
    ("en", P, "The vote was held on Friday.", [("Friday", "2021-03-05")]),
    ("en", P, "Monday's vote was close.", [("Monday", "2021-03-08")]),
    # bare months: past cue -> the latest one, future cue -> the next one, no cue -> past within 8 months
    ("en", S, "The player was introduced in January.", [("January", "2009-01")]),
    ("en", S, "The deal should be completed in January.", [("January", "2010-01")]),
    ("en", S, "The company will report results in June.", [("June", "2010-06")]),
    ("en", S, "Sales peaked in June.", [("June", "2009-06")]),
    ("en", S, "Exports in March were weak.", [("March", "2009-03")]),
    ("en", S, "Exports in November matter.", [("November", "2009-11")]),
    ("en", P, "The economy contracted between April and June.", [("April", "2020-04"), ("June", "2020-06")]),
    # a day and month without a year
    ("en", P, "Talks will resume on 15 January.", [("15 January", "2021-01-15")]),
    ("en", S, "Talks will resume on 15 March.", [("15 March", "2010-03-15")]),
    ("en", S, "Talks collapsed on 15 March.", [("15 March", "2009-03-15")]),
    # the year of the sentence carries over to a month or day without one
    ("en", P, "In 2019 exports fell in March.", [("2019", "2019"), ("March", "2019-03")]),
    ("en", P, "Last year sales peaked on 4 July.", [("Last year", "2020"), ("4 July", "2020-07-04")]),
    # years
    ("en", P, "Deliveries run from 2009 to 2011.", [("2009", "2009"), ("2011", "2011")]),
    ("en", P, "Deliveries run between 2014 and 2016.", [("2014", "2014"), ("2016", "2016")]),
    ("en", P, "The 1998 agreement still holds.", [("1998", "1998")]),
    ("en", P, "It sent the 2021 soldiers home.", []),
    ("en", P, "Sales fell last year's way.", [("last year", "2020")]),
    # ago
    ("en", P, "The quake struck a week ago.", [("a week ago", "2021-03-03")]),
    ("en", P, "The quake struck a year ago.", [("a year ago", "2020")]),
]

ID = [
    ("id", P, "Pabrik itu ditutup pada Mei tahun lalu.", [("Mei tahun lalu", "2020-05")]),
    ("es", P, "Dejó el cargo en mayo del año pasado.", [("mayo del año pasado", "2020-05")]),
    ("ar", P, "أغلق المصنع في مايو من العام الماضي.", [("مايو من العام الماضي", "2020-05")]),
    ("id", P, "Banjir terjadi bulan Maret lalu.", [("Maret", "2020-03")]),
    ("id", P, "Banjir terjadi pada Mei lalu.", [("Mei", "2020-05")]),
    ("id", P, "Banjir terjadi Februari lalu.", [("Februari", "2021-02")]),
    ("id", P, "Banjir terjadi Desember silam.", [("Desember", "2020-12")]),
    ("id", P, "Pemilu digelar bulan Mei mendatang.", [("Mei", "2021-05")]),
    ("id", P, "Pemilu digelar Maret depan.", [("Maret", "2022-03")]),
    ("id", P, "Rapat digelar Senin depan.", [("Senin", "2021-03-15")]),
    ("id", P, "Rapat digelar Senin lalu.", [("Senin", "2021-03-08")]),
    ("id", P, "Rapat digelar Rabu lalu.", [("Rabu", "2021-03-03")]),
    ("id", P, "Rapat akan digelar hari Senin.", [("Senin", "2021-03-15")]),
    ("id", P, "Rapat telah digelar hari Senin.", [("Senin", "2021-03-08")]),
    ("id", S, "Ekspor akan naik pada bulan Juni.", [("Juni", "2010-06")]),
    ("id", S, "Ekspor sudah naik pada bulan Januari.", [("Januari", "2009-01")]),
    ("id", P, "Ekonomi telah menyusut antara April dan Juni.", [("April", "2020-04"), ("Juni", "2020-06")]),
    ("id", P, "Jembatan itu dibangun tahun 2014.", [("2014", "2014")]),
    ("id", P, "Kapal itu kandas setahun lalu.", [("setahun lalu", "2020")]),
    ("id", P, "Kapal itu kandas sepekan yang lalu.", [("sepekan yang lalu", "2021-03-03")]),
    ("id", P, "Pada 2019 ekspor turun pada bulan Maret.", [("2019", "2019"), ("Maret", "2019-03")]),
]

AR = [
    ("ar", P, "وقع الهجوم في مارس الماضي.", [("مارس", "2020-03")]),
    ("ar", P, "وقع الهجوم في مايو الماضي.", [("مايو", "2020-05")]),
    ("ar", P, "وقع الهجوم في فبراير الماضي.", [("فبراير", "2021-02")]),
    ("ar", P, "تجرى الانتخابات في مايو المقبل.", [("مايو", "2021-05")]),
    ("ar", P, "تجرى الانتخابات في مارس القادم.", [("مارس", "2022-03")]),
    ("ar", P, "يعقد الاجتماع الاثنين القادم.", [("الاثنين", "2021-03-15")]),
    ("ar", P, "يعقد الاجتماع يوم الخميس المقبل.", [("الخميس", "2021-03-11")]),
    ("ar", P, "عقد الاجتماع يوم الأربعاء الماضي.", [("الأربعاء", "2021-03-03")]),
    ("ar", P, "سوف يعقد الاجتماع يوم الاثنين.", [("الاثنين", "2021-03-15")]),
    ("ar", P, "كان الاجتماع يوم الاثنين.", [("الاثنين", "2021-03-08")]),
    ("ar", P, "بني الجسر عام 2014.", [("2014", "2014")]),
    ("ar", P, "قد انكمش الاقتصاد بين أبريل و يونيو.", [("أبريل", "2020-04"), ("يونيو", "2020-06")]),
]

FR = [
    ("fr", P, "Le sommet a eu lieu mardi dernier.", [("mardi", "2021-03-09")]),
    ("fr", P, "Le sommet a eu lieu mercredi dernier.", [("mercredi", "2021-03-03")]),
    ("fr", P, "Le sommet aura lieu lundi prochain.", [("lundi", "2021-03-15")]),
    ("fr", P, "Les ventes ont chuté en mai dernier.", [("mai", "2020-05")]),
    ("fr", P, "Les élections auront lieu en mai prochain.", [("mai", "2021-05")]),
    ("fr", P, "Le navire s'est échoué il y a deux jours.", [("il y a deux jours", "2021-03-08")]),
    ("fr", P, "Le navire s'est échoué hier.", [("hier", "2021-03-09")]),
    ("fr", P, "L'accord a été signé le 9 mars 2021.", [("9 mars 2021", "2021-03-09")]),
]

ES = [
    ("es", P, "El pasado martes hubo una reunión.", [("martes", "2021-03-09")]),
    ("es", P, "Hubo una reunión el martes pasado.", [("martes", "2021-03-09")]),
    ("es", P, "La reunión será el próximo lunes.", [("lunes", "2021-03-15")]),
    ("es", P, "Las ventas cayeron en mayo pasado.", [("mayo", "2020-05")]),
    ("es", P, "El acuerdo se firmó el 9 de marzo de 2021.", [("9 de marzo de 2021", "2021-03-09")]),
    ("es", P, "El barco encalló hace dos días.", [("hace dos días", "2021-03-08")]),
    ("es", P, "El barco encalló ayer.", [("ayer", "2021-03-09")]),
]

MS = [
    ("ms", P, "Mesyuarat diadakan Isnin depan.", [("Isnin", "2021-03-15")]),
    ("ms", P, "Banjir berlaku Mac lalu.", [("Mac", "2020-03")]),
    ("ms", P, "Banjir berlaku bulan Mei lepas.", [("Mei", "2020-05")]),
]

# no publication date: a day and month take their year from the weekday beside them and the
# years of the text, or from the nearest full date of the text
NO_PUB = [
    ("id", "Banjir besar melanda Jakarta awal 2021. Kamis (18/2) hujan turun lagi.",
     [("2021", "2021"), ("Kamis (18/2)", "2021-02-18")]),
    ("id", "Laporan 2020 sudah terbit. Kamis (18/2) hujan turun lagi.", [("Kamis (18/2)", "2021-02-18")]),
    ("id", "Kamis (18/2) hujan turun lagi.", [("Kamis (18/2)", "--02-18")]),
    ("id", "Jakarta, 17 Februari 2021. Banjir surut pada 18 Februari.",
     [("17 Februari 2021", "2021-02-17"), ("18 Februari", "2021-02-18")]),
    ("en", "In 2021 rain fell again on Thursday, 18 February.", [("2021", "2021"), ("Thursday, 18 February", "2021-02-18")]),
    ("en", "The report of 2019 came out. Rain fell again on Thursday, 18 February.",
     [("2019", "2019"), ("Thursday, 18 February", "--02-18")]),
    ("ar", "تقرير 2021. الخميس (18/2) هطلت الأمطار.", [("الخميس (18/2)", "2021-02-18")]),
]

# anaphora count from the last date the text mentioned, or from publication without one
ANAPHORA = [
    ("en", P, "Talks began on 2 March. Both sides left the same day.", [("2 March", "2021-03-02"), ("the same day", "2021-03-02")]),
    ("en", P, "Talks began on 2 March and ended the following day.", [("2 March", "2021-03-02"), ("the following day", "2021-03-03")]),
    ("en", P, "Talks began in 2019; two years later they failed.", [("2019", "2019"), ("two years later", "2021")]),
    ("en", P, "The plant opened on 2 March. A week earlier it was empty.", [("2 March", "2021-03-02"), ("A week earlier", "2021-02-23")]),
    ("en", P, "Shares rose 2% on the day.", [("the day", "2021-03-10")]),
    ("id", P, "Banjir terjadi pada 2 Maret. Hari itu hujan deras.", [("2 Maret", "2021-03-02"), ("Hari itu", "2021-03-02")]),
    ("id", P, "Banjir terjadi pada 2 Maret, tiga hari kemudian air surut.", [("2 Maret", "2021-03-02"), ("tiga hari kemudian", "2021-03-05")]),
    ("ar", P, "بدأت المحادثات في 2 مارس وانتهت في اليوم التالي.", [("2 مارس", "2021-03-02"), ("اليوم التالي", "2021-03-03")]),
    ("fr", P, "Les pourparlers ont commencé le 2 mars et ont pris fin le lendemain.", [("2 mars", "2021-03-02"), ("le lendemain", "2021-03-03")]),
    ("es", P, "Las conversaciones empezaron el 2 de marzo y terminaron al día siguiente.",
     [("2 de marzo", "2021-03-02"), ("al día siguiente", "2021-03-03")]),
]

CASES = EN + ID + AR + FR + ES + MS + ANAPHORA


@pytest.mark.parametrize(("lang", "published", "sentence", "expected"), CASES)
def test_direction(lang, published, sentence, expected):
    found = find_dates(sentence, lang, published)
    assert [(sentence[d.start:d.end], d.value) for d in found] == expected


@pytest.mark.parametrize(("lang", "sentence", "expected"), NO_PUB)
def test_year_inferred_without_publication_date(lang, sentence, expected):
    found = find_dates(sentence, lang, None)
    assert [(sentence[d.start:d.end], d.value) for d in found] == expected
