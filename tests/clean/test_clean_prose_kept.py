"""Cleaning never empties a document that has a sentence of prose (issue 15, item 3).

Every text here is fictional, written for these tests: one-sentence items (an RSS summary,
a wire brief) with the source tags and end marks such items carry, and short articles in
scripts whose sentence punctuation is not the Latin full stop (Urdu ۔, Hindi ।, Chinese 。,
Burmese ။, Amharic ።, Armenian ։) or that have none at all (Thai).
"""

from __future__ import annotations

import pytest

from newsloom.clean import PlainTextClean
from newsloom.clean.lines import reads_as_sentence, split_trailing_tag
from newsloom.config import load_config
from newsloom.models import Document


@pytest.fixture(scope="module")
def stage() -> PlainTextClean:
    stage = PlainTextClean(load_config())
    stage.ensure_setup()
    return stage


def run(stage: PlainTextClean, raw: str) -> Document:
    doc = Document(source="t.txt", raw=raw)
    stage([doc])
    return doc


# (raw one-sentence item, the sentence that must be the text, the tag that must be cut or None)
ONE_SENTENCE = [
    (
        "Polis menahan dua lelaki berhubung kes samun di sebuah kedai emas di Kuala Selangor semalam. - Agensi",
        "Polis menahan dua lelaki berhubung kes samun di sebuah kedai emas di Kuala Selangor semalam.",
        "- Agensi",
    ),
    (
        "Pemerintah kota akan menutup Jalan Merdeka selama dua hari untuk perbaikan jembatan (*1)",
        "Pemerintah kota akan menutup Jalan Merdeka selama dua hari untuk perbaikan jembatan",
        "(*1)",
    ),
    (
        "Warga Desa Sukamaju diminta mengungsi setelah debit air sungai naik sejak pagi tadi. (ant)",
        "Warga Desa Sukamaju diminta mengungsi setelah debit air sungai naik sejak pagi tadi.",
        "(ant)",
    ),
    (
        "The Westmere council approved a new budget for its public libraries on Tuesday. (Reuters)",
        "The Westmere council approved a new budget for its public libraries on Tuesday.",
        "(Reuters)",
    ),
    (
        "Le conseil municipal de Valmont a voté mardi un budget pour ses bibliothèques. [AFP]",
        "Le conseil municipal de Valmont a voté mardi un budget pour ses bibliothèques.",
        "[AFP]",
    ),
    (
        "El ayuntamiento de Villaclara aprobó el martes un nuevo presupuesto para sus bibliotecas. — EFE",
        "El ayuntamiento de Villaclara aprobó el martes un nuevo presupuesto para sus bibliotecas.",
        "— EFE",
    ),
    (
        "وافق مجلس بلدية المدينة يوم الثلاثاء على ميزانية جديدة للمكتبات العامة. (رويترز)",
        "وافق مجلس بلدية المدينة يوم الثلاثاء على ميزانية جديدة للمكتبات العامة.",
        "(رويترز)",
    ),
    (
        "Der Stadtrat von Talheim hat am Dienstag einen neuen Haushalt für die Büchereien beschlossen (dpa)",
        "Der Stadtrat von Talheim hat am Dienstag einen neuen Haushalt für die Büchereien beschlossen (dpa)",
        None,
    ),
    (
        "Officials said the ferry between the two islands would run again from Friday morning",
        "Officials said the ferry between the two islands would run again from Friday morning",
        None,
    ),
    ("پولیس نے شہر میں دو مشتبہ افراد کو گرفتار کر لیا ہے اور ان سے تفتیش جاری ہے۔", None, None),
    ("सरकार ने आज नई शिक्षा नीति की घोषणा की जिससे लाखों छात्रों को लाभ मिलेगा।", None, None),
    ("市政府今天宣布将在明年投资建设三座新的公共图书馆。", None, None),
    ("รัฐบาลประกาศแผนการลงทุนใหม่ในโครงการรถไฟเพื่อเชื่อมต่อเมืองหลวงกับจังหวัดทางภาคเหนือ", None, None),
    ("မြို့တော်ခန်းမတွင် ယနေ့ နံနက်က အစည်းအဝေး ကျင်းပခဲ့ပြီး ရေကြီးမှုအကြောင်း ဆွေးနွေးခဲ့သည်။", None, None),
    ("የከተማው ምክር ቤት ዛሬ ለሕዝብ ቤተ መጻሕፍት አዲስ በጀት አጽድቋል።", None, None),
    ("Քաղաքային խորհուրդը երեքշաբթի օրը հաստատեց գրադարանների նոր բյուջեն։", None, None),
]


@pytest.mark.parametrize(("raw", "text", "tag"), ONE_SENTENCE, ids=range(len(ONE_SENTENCE)))
def test_one_sentence_item_is_kept(stage, raw, text, tag):
    doc = run(stage, raw)
    assert doc.rejected is None, doc.rejected
    assert doc.text == (text or raw)
    if tag is not None:
        assert [(r.text, r.reason) for r in doc.removed] == [(tag, "source-tag")]


def test_a_headline_alone_is_not_prose(stage):
    doc = run(stage, "Floods cut off villages")
    assert doc.rejected is not None and doc.title == "Floods cut off villages"


def test_clutter_alone_is_still_rejected(stage):
    doc = run(stage, "Share Facebook Twitter WhatsApp\nLeave a comment\n(Reuters)")
    assert doc.rejected is not None


ARTICLES = {
    "ur": [
        "شہر میں نئی لائبریری کا افتتاح",
        (
            "شہر کی بلدیہ نے پیر کے روز نئی عوامی لائبریری کا افتتاح کیا جس میں دس ہزار سے زیادہ کتابیں رکھی گئی ہیں۔ "
            "میئر نے کہا کہ یہ لائبریری طلبہ اور بزرگ شہریوں دونوں کے لیے کھلی رہے گی۔"
        ),
        (
            "لائبریری کی عمارت پرانے ڈاک خانے میں بنائی گئی ہے اور اس کی مرمت پر دو سال لگے۔ "
            "منتظمین کے مطابق ہر ہفتے بچوں کے لیے کہانی سنانے کی نشستیں بھی ہوں گی۔"
        ),
        "شہریوں نے اس منصوبے کا خیرمقدم کیا لیکن کچھ لوگوں نے کہا کہ اوقات کار مزید بڑھائے جائیں۔",
    ],
    "hi": [
        "शहर में नए पुस्तकालय का उद्घाटन",
        (
            "नगर निगम ने सोमवार को नए सार्वजनिक पुस्तकालय का उद्घाटन किया जिसमें दस हज़ार से अधिक पुस्तकें रखी गई हैं। "
            "महापौर ने कहा कि यह पुस्तकालय छात्रों और बुज़ुर्गों दोनों के लिए खुला रहेगा।"
        ),
        (
            "पुस्तकालय की इमारत पुराने डाकघर में बनाई गई है और इसकी मरम्मत में दो साल लगे। "
            "आयोजकों के अनुसार हर सप्ताह बच्चों के लिए कहानी सुनाने के सत्र भी होंगे।"
        ),
        "नागरिकों ने इस परियोजना का स्वागत किया लेकिन कुछ लोगों ने कहा कि खुलने का समय बढ़ाया जाना चाहिए।",
    ],
    "zh": [
        "市中心新图书馆开放",
        "市政府星期一宣布，位于市中心的新公共图书馆正式开放，馆内藏书超过一万册。市长表示，图书馆将同时为学生和老年人提供服务。",
        "图书馆设在旧邮局大楼内，翻修工程历时两年。管理人员说，每周还将为儿童举办讲故事活动。",
        "市民对这个项目表示欢迎，但也有人希望延长开放时间。",
    ],
    "th": [
        "เปิดห้องสมุดแห่งใหม่กลางเมือง",
        (
            "เทศบาลเมืองเปิดห้องสมุดสาธารณะแห่งใหม่เมื่อวันจันทร์ที่ผ่านมา โดยมีหนังสือมากกว่าหนึ่งหมื่นเล่ม "
            "นายกเทศมนตรีกล่าวว่าห้องสมุดจะเปิดให้บริการทั้งนักเรียนและผู้สูงอายุ"
        ),
        "อาคารห้องสมุดตั้งอยู่ในที่ทำการไปรษณีย์เก่า และใช้เวลาซ่อมแซมนานสองปี ผู้จัดการกล่าวว่าจะมีกิจกรรมเล่านิทานสำหรับเด็กทุกสัปดาห์",
        "ชาวเมืองต่างยินดีกับโครงการนี้ แต่บางคนอยากให้ขยายเวลาเปิดให้บริการ",
    ],
}
CLUTTER = ["Facebook Twitter WhatsApp", "Copyright © 2026"]


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_article_in_other_scripts_is_kept(stage, lang):
    title, *paragraphs = ARTICLES[lang]
    doc = run(stage, "\n".join([title, *paragraphs, *CLUTTER]))
    assert doc.rejected is None, doc.rejected
    assert doc.title == title
    assert doc.text == "\n\n".join(paragraphs)
    assert {r.text for r in doc.removed} >= set(CLUTTER)


@pytest.mark.parametrize(
    "text",
    [
        "This ends like a sentence.",
        "یہ ایک جملہ ہے۔",
        "यह एक वाक्य है।",
        "这是一个句子。",
        "「これは引用です。」",
        "ဒါဟာ ဝါကျတစ်ခုပါ။",
        "Սա նախադասություն է։",
        "ይህ ዓረፍተ ነገር ነው።",
        "ནི་ཚིག་གྲུབ་གཅིག་ཡིན།",  # Tibetan shad, outside Unicode's Sentence_Terminal
        "នេះជាប្រយោគមួយ។",  # Khmer khan
        "यो एउटा वाक्य हो॥",
        "ประโยคนี้ไม่มีเครื่องหมายวรรคตอนแต่ยาวพอที่จะเป็นประโยค",
    ],
)
def test_sentence_punctuation_of_every_script(text):
    assert reads_as_sentence(text)


@pytest.mark.parametrize("text", ["Home", "Read more", "สั้น", "Tags: floods, Java"])
def test_not_sentences(text):
    assert not reads_as_sentence(text)


@pytest.mark.parametrize(
    ("line", "head", "tag"),
    [
        ("Three people died in the floods. (AFP)", "Three people died in the floods.", "(AFP)"),
        ("Tiga orang tewas dalam banjir itu. - Agensi", "Tiga orang tewas dalam banjir itu.", "- Agensi"),
        ("Tiga orang tewas dalam banjir itu (*)", "Tiga orang tewas dalam banjir itu", "(*)"),
        # not tags: a parenthesis inside the sentence, a year, a bullet list's dash
        ("The party (SPD) has not said so.", "The party (SPD) has not said so.", None),
        ("Erlkönig des BMW 3er Touring (2022)", "Erlkönig des BMW 3er Touring (2022)", None),
        ("Done. - and then some more words follow", "Done. - and then some more words follow", None),
    ],
)
def test_trailing_tags_are_split_off(line, head, tag):
    assert split_trailing_tag(line) == (head, tag)


@pytest.mark.parametrize(
    "notice",
    [
        "Your comment is awaiting moderation.",
        "Be the first to comment",
        "Komentar Anda sedang menunggu moderasi",
        "Jadilah yang pertama berkomentar",
        "Sila log masuk untuk memberi komen",
        "Les commentaires sont fermés.",
        "Vous devez être connecté pour publier un commentaire.",
        "Los comentarios están cerrados.",
        "Sé el primero en comentar",
        "التعليقات مغلقة",
        "كن أول من يعلق",
        "Dein Kommentar muss noch freigegeben werden.",
    ],
)
def test_comment_notices_are_cut(stage, notice):
    paragraphs = [
        (
            "The new flood barrier in the harbour town of Westmere was opened on Monday, three years after the work "
            "was first due to finish, and the council said it would protect more than two thousand homes."
        ),
        (
            "Engineers said the barrier, which can be raised in less than an hour, had been tested twice during the "
            "autumn storms and had held back the water on both occasions."
        ),
    ]
    doc = run(stage, "\n".join([*paragraphs, notice]))
    assert doc.text == "\n\n".join(paragraphs)
    assert [r.reason for r in doc.removed if r.text == notice] in (["comment-form"], ["comments"])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Did you like this article? Share it with your friends", "share-buttons"),
        ("Dir hat der Artikel gefallen? Jetzt teilen!", "share-buttons"),
        ("Subscribe to our digital edition for the full story.", "newsletter"),
        ("Instant access to all our archives.", "newsletter"),
        ("Otras noticias", "read-also"),
        ("Berita lainnya", "read-also"),
        ("Externer Inhalt", "site-furniture"),
        ("Anzeige - Jetzt bestellen und sparen", "advertisement"),
        ("Marco Rossi, the new coach, at the training ground. © AFP / Jane Roe", None),
    ],
)
def test_site_pitches_are_cut(stage, line, reason):
    paragraphs = [
        (
            "The new flood barrier in the harbour town of Westmere was opened on Monday, three years after the work "
            "was first due to finish, and the council said it would protect more than two thousand homes."
        ),
        (
            "Engineers said the barrier, which can be raised in less than an hour, had been tested twice during the "
            "autumn storms and had held back the water on both occasions."
        ),
    ]
    doc = run(stage, "\n".join([*paragraphs, line, paragraphs[1].replace("Engineers", "Officials")]))
    removed = {r.text: r.reason for r in doc.removed}
    if reason is None:  # a caption's credit goes, its sentence stays
        assert removed.get("© AFP / Jane Roe") == "source-tag"
    else:
        assert removed.get(line) == reason, removed


def test_standfirst_under_a_headline_split_in_two_lines_is_kept(stage):
    """The page title joins the two headline lines; the standfirst under them is text, even when
    a teaser elsewhere on the page repeats it."""
    standfirst = "Across the valley, farmers say the new dam has left their fields and their orchards without water since May"
    body = (
        "The dam, which was finished last spring, was meant to hold water for the dry months, but the farmers "
        "downstream say that the gates have stayed shut for most of the summer and that nobody told them why."
    )
    raw = "\n".join(
        [
            "Valley dam: 'Our fields are dry' | Example Post",
            *["Home", "News", "Politics", "Business", "Sport", "Culture", "Weather", "Contact"],
            "Valley dam",
            "'Our fields are dry'",
            standfirst,
            "By Jane Doe",
            body,
            body.replace("The dam", "The new dam"),
            "More stories",
            "Valley dam",
            standfirst,
        ]
    )
    doc = run(stage, raw)
    assert doc.text.startswith(standfirst + "\n\n")
