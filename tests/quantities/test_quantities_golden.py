"""Golden quantity cases written for newsloom (fictional sentences).

Each case: (lang, sentence, expected) where expected lists every quantity in order as
(exact span text, value, unit, kind, qualifier, role).
"""

from __future__ import annotations

import pytest

from newsloom.quantities.extract import find_quantities

EN = [
    ("en", "The shelling killed at least 12 people.", [("12 people", 12, "people", "killed", "at_least", None)]),
    ("en", "Around 12,500 residents were displaced.", [("12,500 residents", 12500, "people", "displaced", "about", None)]),
    ("en", "The floods forced around 12,500 from their homes.", [("12,500", 12500, "people", "displaced", "about", None)]),
    ("en", "The army will pull 2,500 troops back.", [("2,500 troops", 2500, "troops", "personnel", None, None)]),
    ("en", "The army will pull 2,500 Tamaran troops back.", [("2,500 Tamaran troops", 2500, "troops", "personnel", None, None)]),
    ("en", "The sides will exchange 120 prisoners.", [("120 prisoners", 120, "prisoners", "detained", None, None)]),
    ("en", "Police arrested 35 protesters.", [("35 protesters", 35, "people", "arrested", None, None)]),
    ("en", "At least 40 people were injured.", [("40 people", 40, "people", "injured", "at_least", None)]),
    ("en", "Some 300 families fled the fighting.", [("300 families", 300, "families", "displaced", "about", None)]),
    ("en", "Two seafarers remain missing.", [("Two seafarers", 2, "people", "missing", None, None)]),
    ("en", "The deal is worth USD 1.2 billion.", [("USD 1.2 billion", 1.2e9, "USD", "money", None, None)]),
    ("en", "The deal is worth $1.5 billion.", [("$1.5 billion", 1.5e9, "USD", "money", None, None)]),
    ("en", "The fund holds 40 million dollars.", [("40 million dollars", 4e7, "USD", "money", None, None)]),
    ("en", "Egypt will buy 600,000 tonnes of palm oil a year.", [("600,000 tonnes", 600000, "tonnes", "other", None, None)]),
    ("en", "More than 1,200 tonnes of fuel leaked.", [("1,200 tonnes", 1200, "tonnes", "other", "more_than", None)]),
    ("en", "Up to 800 tonnes of fuel escaped.", [("800 tonnes", 800, "tonnes", "other", "up_to", None)]),
    ("en", "Two thousand soldiers crossed the border.", [("Two thousand soldiers", 2000, "troops", "personnel", None, None)]),
    ("en", "Twenty-five villages were flooded.", [("Twenty-five villages", 25, "villages", "other", None, None)]),
    ("en", "Two hundred and fifty workers lost their jobs.", [("Two hundred and fifty workers", 250, "people", "other", None, None)]),
    ("en", "A thousand people gathered in the square.", [("A thousand people", 1000, "people", "other", None, None)]),
    ("en", "Prices rose threefold.", [("threefold", 3, "multiplier", "multiplier", None, None)]),
    ("en", "Imports grew 4-fold in a year.", [("4-fold", 4, "multiplier", "multiplier", None, None)]),
    ("en", "Inflation reached 12.5%.", [("12.5%", 12.5, "percent", "other", None, None)]),
    ("en", "Unemployment fell to 7 percent.", [("7 percent", 7, "percent", "other", None, None)]),
    ("en", "Troops rose from 120 to 1,500.", [("120", 120, None, "other", None, "from"), ("1,500", 1500, None, "other", None, "to")]),
    ("en", "The garrison grew from 120 to 1,500 soldiers.",
     [("120", 120, "troops", "personnel", None, "from"), ("1,500 soldiers", 1500, "troops", "personnel", None, "to")]),
    ("en", "Between 10 and 20 people were hurt.",
     [("10", 10, "people", "injured", None, "min"), ("20 people", 20, "people", "injured", None, "max")]),
    ("en", "The storm destroyed 30-40 houses.", [("30", 30, "houses", "other", None, "min"), ("40 houses", 40, "houses", "other", None, "max")]),
    ("en", "Resolution 2231 was adopted in 2015.", []),
    ("en", "The meeting starts at 10:30 am.", []),
    ("en", "It was the 3rd attack this month.", []),
    ("en", "The COVID-19 ward and the G20 summit were busy.", []),
    ("en", "Call 0812345678 for details.", []),
    ("en", "Thousands of people marched.", []),
    ("en", "One of the officials resigned.", []),
    ("en", "One soldier was killed.", [("One soldier", 1, "troops", "killed", None, None)]),
    ("en", "The bill passed 1.5 million votes.", [("1.5 million", 1.5e6, None, "other", None, None)]),
    ("en", "Nearly 3\u00a0000 soldiers withdrew.", [("3\u00a0000 soldiers", 3000, "troops", "personnel", "about", None)]),
    ("en", "Rescuers found 14 bodies and 23 survivors.", [("14 bodies", 14, "people", "killed", None, None), ("23", 23, None, "other", None, None)]),
    ("en", "The blast killed 12 people and injured 40 others.",
     [("12 people", 12, "people", "killed", None, None), ("40 others", 40, "people", "injured", None, None)]),
    ("en", "The explosion killed 15 and wounded 30.",
     [("15", 15, "people", "killed", None, None), ("30", 30, "people", "injured", None, None)]),
]

ID = [
    ("id", "Sekitar 12.500 warga terpaksa mengungsi.", [("12.500 warga", 12500, "people", "displaced", "about", None)]),
    ("id", "Sebanyak 12 orang dilaporkan tewas.", [("12 orang", 12, "people", "killed", None, None)]),
    ("id", "Banjir menewaskan sedikitnya 12 orang.", [("12 orang", 12, "people", "killed", "at_least", None)]),
    ("id", "Pemerintah menarik 2.500 tentara dari perbatasan.", [("2.500 tentara", 2500, "troops", "personnel", None, None)]),
    ("id", "Kedua pihak bertukar 120 tahanan.", [("120 tahanan", 120, "prisoners", "detained", None, None)]),
    ("id", "Polisi menangkap 35 demonstran.", [("35 demonstran", 35, "people", "arrested", None, None)]),
    ("id", "Sebanyak 40 orang luka-luka.", [("40 orang", 40, "people", "injured", None, None)]),
    ("id", "Lebih dari 300 keluarga mengungsi.", [("300 keluarga", 300, "families", "displaced", "more_than", None)]),
    ("id", "Dua nelayan masih hilang.", [("Dua nelayan", 2, "people", "missing", None, None)]),
    ("id", "Kesepakatan senilai USD 1,2 miliar ditandatangani.", [("USD 1,2 miliar", 1.2e9, "USD", "money", None, None)]),
    ("id", "Nilai ekspor mencapai Rp 5 triliun.", [("Rp 5 triliun", 5e12, "IDR", "money", "up_to", None)]),
    ("id", "Harga turun menjadi Rp1.850 per kilogram.", [("Rp1.850", 1850, "IDR", "money", None, None)]),
    ("id", "Bantuan sebesar 2 juta dolar AS tiba.", [("2 juta dolar AS", 2e6, "USD", "money", None, None)]),
    ("id", "Indonesia mengekspor 600.000 ton CPO per tahun.", [("600.000 ton", 600000, "tonnes", "other", None, None)]),
    ("id", "Tinggi air mencapai 2,5 meter.", [("2,5 meter", 2.5, "metres", "other", "up_to", None)]),
    ("id", "Dua ribu warga berkumpul di alun-alun.", [("Dua ribu warga", 2000, "people", "other", None, None)]),
    ("id", "Seribu rumah terendam banjir.", [("Seribu rumah", 1000, "houses", "other", None, None)]),
    ("id", "Dua puluh lima desa terendam.", [("Dua puluh lima desa", 25, "villages", "other", None, None)]),
    ("id", "Dua belas orang ditahan polisi.", [("Dua belas orang", 12, "people", "arrested", None, None)]),
    ("id", "Seratus dua puluh pekerja dirumahkan.", [("Seratus dua puluh pekerja", 120, "people", "other", None, None)]),
    ("id", "Sebanyak 1,2 juta warga terdampak.", [("1,2 juta warga", 1.2e6, "people", "displaced", None, None)]),
    ("id", "Harga beras naik tiga kali lipat.", [("tiga kali lipat", 3, "multiplier", "multiplier", None, None)]),
    ("id", "Impor naik 2 kali lipat.", [("2 kali lipat", 2, "multiplier", "multiplier", None, None)]),
    ("id", "Inflasi mencapai 12,5 persen.", [("12,5 persen", 12.5, "percent", "other", "up_to", None)]),
    ("id", "Jumlah pasukan naik dari 120 menjadi 1.500 orang.",
     [("120", 120, "people", "other", None, "from"), ("1.500 orang", 1500, "people", "other", None, "to")]),
    ("id", "Korban tewas bertambah dari 12 menjadi 15 orang.",
     [("12", 12, "people", "killed", None, "from"), ("15 orang", 15, "people", "killed", None, "to")]),
    ("id", "Antara 10 dan 20 rumah rusak.", [("10", 10, "houses", "other", None, "min"), ("20 rumah", 20, "houses", "other", None, "max")]),
    ("id", "Menurut Pasal 5 ayat 2 UU Nomor 12 tahun 2011, hal itu dilarang.", []),
    ("id", "Rapat dimulai pukul 10.30 WIB.", []),
    ("id", "Ini adalah gelombang ke-3 tahun ini.", []),
    ("id", "Ribuan warga turun ke jalan.", []),
    ("id", "Satu di antara mereka mundur.", []),
    ("id", "Satu orang tewas tertimpa pohon.", [("Satu orang", 1, "people", "killed", None, None)]),
    ("id", "Hubungi 081234567890 untuk informasi.", []),
    ("id", "Sebanyak 12 orang tewas dan 40 orang luka-luka.",
     [("12 orang", 12, "people", "killed", None, None), ("40 orang", 40, "people", "injured", None, None)]),
    ("id", "Tercatat 12,000 penduduk terdampak.", [("12,000 penduduk", 12000, "people", "displaced", None, None)]),
    ("id", "Luas lahan yang terbakar 1.250,5 hektare.", [("1.250,5 hektare", 1250.5, "hectares", "other", None, None)]),
    ("id", "Sebanyak 25 personel TNI dikerahkan.", [("25 personel TNI", 25, "troops", "personnel", None, None)]),
    ("id", "Kerugian ditaksir Rp 2,6 miliar.", [("Rp 2,6 miliar", 2.6e9, "IDR", "money", None, None)]),
    ("id", "Sebanyak 1.500 personel polisi berjaga.", [("1.500 personel polisi", 1500, "police", "personnel", None, None)]),
    ("id", "Tiga warga ditangkap dan dua warga hilang.",
     [("Tiga warga", 3, "people", "arrested", None, None), ("dua warga", 2, "people", "missing", None, None)]),
]

AR = [
    ("ar", "لقي ١٢ شخصا على الأقل حتفهم.", [("١٢ شخصا", 12, "people", "killed", "at_least", None)]),
    ("ar", "نزح نحو ١٢٥٠٠ شخص.", [("١٢٥٠٠ شخص", 12500, "people", "displaced", "about", None)]),
    ("ar", "نزح نحو ١٢٬٥٠٠ شخص.", [("١٢٬٥٠٠ شخص", 12500, "people", "displaced", "about", None)]),
    ("ar", "أسفر القصف عن مقتل 12 شخصا.", [("12 شخصا", 12, "people", "killed", None, None)]),
    ("ar", "ارتفعت الحصيلة إلى 15 قتيلا.", [("15 قتيلا", 15, "people", "killed", None, None)]),
    ("ar", "أصيب 40 شخصا بجروح.", [("40 شخصا", 40, "people", "injured", None, None)]),
    ("ar", "سقط 30 جريحا.", [("30 جريحا", 30, "people", "injured", None, None)]),
    ("ar", "ينص الاتفاق على سحب 2500 جندي.", [("2500 جندي", 2500, "troops", "personnel", None, None)]),
    ("ar", "وتبادل 150 أسيرا.", [("150 أسيرا", 150, "prisoners", "detained", None, None)]),
    ("ar", "اعتقلت الشرطة 35 متظاهرا.", [("35", 35, "people", "arrested", None, None)]),
    ("ar", "فرت 300 عائلة من القرية.", [("300 عائلة", 300, "families", "displaced", None, None)]),
    ("ar", "صفقة تبلغ قيمتها 1.5 مليار دولار.", [("1.5 مليار دولار", 1.5e9, "USD", "money", None, None)]),
    ("ar", "صفقة بقيمة ١٫٥ مليار دولار.", [("١٫٥ مليار دولار", 1.5e9, "USD", "money", None, None)]),
    ("ar", "تستورد مصر 600 ألف طن سنويا.", [("600 ألف طن", 600000, "tonnes", "other", None, None)]),
    ("ar", "تسرب أكثر من 1200 طن من الوقود.", [("1200 طن", 1200, "tonnes", "other", "more_than", None)]),
    ("ar", "وصل ألفين شخص إلى المخيم.", [("ألفين شخص", 2000, "people", "other", None, None)]),
    ("ar", "نشر الجيش ثلاثة آلاف جندي.", [("ثلاثة آلاف جندي", 3000, "troops", "personnel", None, None)]),
    ("ar", "غرق خمسة وعشرون قاربا.", [("خمسة وعشرون", 25, None, "other", None, None)]),
    ("ar", "تضاعفت الأسعار ثلاثة أضعاف.", [("ثلاثة أضعاف", 3, "multiplier", "multiplier", None, None)]),
    ("ar", "زادت الصادرات 4 أضعاف.", [("4 أضعاف", 4, "multiplier", "multiplier", None, None)]),
    ("ar", "بلغ التضخم 12 بالمئة.", [("12 بالمئة", 12, "percent", "other", None, None)]),
    ("ar", "بلغ التضخم 12.5%.", [("12.5%", 12.5, "percent", "other", None, None)]),
    ("ar", "ارتفع العدد من 120 إلى 1500 جندي.",
     [("120", 120, "troops", "personnel", None, "from"), ("1500 جندي", 1500, "troops", "personnel", None, "to")]),
    ("ar", "تراوح العدد بين 10 و20 شخصا.", [("10", 10, "people", "other", None, "min"), ("20 شخصا", 20, "people", "other", None, "max")]),
    ("ar", "صدر القرار رقم 2231 عام 2015.", []),
    ("ar", "بدأ الاجتماع في الساعة 10:30.", []),
    ("ar", "خرج آلاف المتظاهرين إلى الشوارع.", []),
    ("ar", "قتل عشرات المدنيين.", []),
    ("ar", "حضر حوالي 500 شخص.", [("500 شخص", 500, "people", "other", "about", None)]),
    ("ar", "تجمع قرابة 200 شخص.", [("200 شخص", 200, "people", "other", "about", None)]),
    ("ar", "قتل ما لا يقل عن 20 شخصا.", [("20 شخصا", 20, "people", "killed", "at_least", None)]),
    ("ar", "تضرر أكثر من 100 منزل.", [("100 منزل", 100, "houses", "other", "more_than", None)]),
    ("ar", "قتل 12 شخصا وأصيب 40 آخرون.",
     [("12 شخصا", 12, "people", "killed", None, None), ("40 آخرون", 40, "people", "injured", None, None)]),
    ("ar", "انتشل المنقذون 14 جثة.", [("14", 14, None, "other", None, None)]),
    ("ar", "وصلت 5 سفن محملة بالمساعدات.", [("5 سفن", 5, "ships", "other", None, None)]),
    ("ar", "بلغت الخسائر 2 مليون جنيه.", [("2 مليون جنيه", 2e6, "EGP", "money", None, None)]),
    ("ar", "قدمت المنظمة مليون دولار.", [("مليون دولار", 1e6, "USD", "money", None, None)]),
    ("ar", "بقي بحاران في عداد المفقودين.", []),
    ("ar", "فقد اثنان من البحارة.", [("اثنان", 2, "people", "missing", None, None)]),
    ("ar", "نشر 1,500 شرطي.", [("1,500 شرطي", 1500, "police", "personnel", None, None)]),
    ("ar", "اعتقل 3 من أفراد الطاقم.", [("3 من أفراد", 3, "people", "arrested", None, None)]),
]

OTHER = [
    ("fr", "Au moins 12 morts, selon les autorités.", [("12 morts", 12, "people", "killed", "at_least", None)]),
    ("fr", "Le retrait de 3 000 soldats est prévu.", [("3 000 soldats", 3000, "troops", "personnel", None, None)]),
    ("fr", "Plus de 1 200 tonnes de fioul.", [("1 200 tonnes", 1200, "tonnes", "other", "more_than", None)]),
    ("es", "El vertido de unas 800 toneladas.", [("800 toneladas", 800, "tonnes", "other", "about", None)]),
    ("es", "Más de 1.200 toneladas de fuel.", [("1.200 toneladas", 1200, "tonnes", "other", "more_than", None)]),
    ("ms", "Kerajaan mengundurkan 2,500 anggota tentera.", [("2,500 anggota tentera", 2500, "troops", "personnel", None, None)]),
    ("ms", "Perjanjian bernilai USD1.5 bilion.", [("USD1.5 bilion", 1.5e9, "USD", "money", None, None)]),
    ("ms", "Lebih 12,000 penduduk terjejas.", [("12,000 penduduk", 12000, "people", "displaced", "more_than", None)]),
]

CASES = EN + ID + AR + OTHER


@pytest.mark.parametrize(("lang", "sentence", "expected"), CASES)
def test_golden(lang, sentence, expected):
    found = find_quantities(sentence, lang)
    got = [(sentence[q.start:q.end], q.value, q.unit, q.kind, q.qualifier, q.role) for q in found]
    assert got == [(t, float(v), u, k, ql, r) for t, v, u, k, ql, r in expected]


def test_case_counts():
    for lang, table in (("en", EN), ("id", ID), ("ar", AR)):
        assert len(table) >= 40, lang
