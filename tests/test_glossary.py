"""The glossary (knowledge/woordenlijst.yml) adds Dutch words for English and jargon, and
nothing for ordinary Dutch."""

import pytest

from knowledge.glossary import added_words


@pytest.mark.parametrize(
    "text,words",
    [
        ("what's the savings limit for social assistance", {"vermogensgrens", "bijstand"}),
        ("is there free legal advice", {"juridisch", "loket"}),
        ("can i pay my rent arrears in instalments", {"huurachterstand", "betalingsregeling"}),
        ("gehuwdennorm pw 2026", {"bijstandsnorm", "participatiewet"}),
        # everyday Dutch for the content's own words
        ("ik heb 10 duizend gespaard", {"spaargeld", "vermogen"}),
        ("ik heb een eenmanszaak die slecht loopt", {"zelfstandige", "bbz"}),
        # a zzp'er asking about "bijstand" means the Bbz too (bbz names its record)
        ("ik ben zzp schilder, kan ik bijstand zonder mijn bedrijf te stoppen", {"bbz"}),
        ("telt de overwaarde mee", {"eigen", "huis", "vermogen"}),
        ("how much can i have in savings on welfare", {"spaargeld", "vermogen", "bijstand"}),
        ("my wife and i are both over 21", {"gehuwden", "partners"}),
        # a regulation named by what happens, not by its name
        ("mijn aow is niet volledig, krijg ik iets erbij", {"aio", "aanvulling"}),
        ("mijn zus komt bij mij wonen en ik heb bijstand", {"kostendelersnorm"}),
        ("kan ik hulp krijgen voor een nieuwe wasmachine", {"bijzondere", "bijstand"}),
        ("ik zit al jaren in de bijstand, is er iets extra", {"individuele", "inkomenstoeslag"}),
        # everyday English for childcare, municipal taxes, a death in the family, a loan
        ("daycare costs us 1400 a month, does the government pay part?", {"kinderopvangtoeslag"}),
        (
            "a bill for garbage and sewage, can i get out of it",
            {"afvalstoffenheffing", "rioolheffing"},
        ),
        ("my husband passed away, i am a widow", {"overleden", "nabestaande"}),
        ("a quick online loan to pay the rent", {"lening"}),
    ],
)
def test_english_and_jargon_get_the_dutch_words(text, words):
    assert words <= set(added_words(text))


@pytest.mark.parametrize(
    "text",
    [
        "ik ben net ontslagen, wat nu?",
        "hoe vraag ik zorgtoeslag aan",
        "what is the capital of france",
        # Dutch with the content's own words: nothing from the other languages' lists either
        "ik heb een brief van de gemeente over mijn huur, wat moet ik doen",
        "is het bedrag per maand of per jaar?",
        "mijn zoon is net 18 en zit nog op school",
        "waar kan ik een lijst met alle regelingen vinden",
        "mijn vader heeft een kleine aow, hoeveel aio krijgt hij",
    ],
)
def test_ordinary_dutch_and_other_topics_get_nothing(text):
    assert added_words(text) == []


@pytest.mark.parametrize(
    "text,words",
    [
        # Turkish
        ("tek kişiyim, bijstand ayda ne kadar?", {"alleenstaande", "hoeveel", "bedrag"}),
        ("kiram çok yüksek, huurtoeslag alabilir miyim", {"huur", "kan", "krijgen"}),
        ("zorgtoeslag başvurusu nasil yapılır", {"hoe", "aanvragen"}),
        ("annemin emekli maaşı yetmiyor", {"aio", "aanvulling"}),
        ("yeni eve taşındık, mobilya için yardım var mı", {"meubels", "bijzondere", "bijstand"}),
        ("çöp vergisi gelmiş, bijstand alıyorum", {"afvalstoffenheffing", "kwijtschelding"}),
        ("belastingdienst mektup gönderdi, itiraz etmek istiyorum", {"brief", "bezwaar"}),
        ("icra kapıya geldi, borçlarım çok", {"deurwaarder", "schulden"}),
        # Polish, with and without the Polish letters
        ("ile wynosi zasiłek dla jednej osoby", {"hoeveel", "bedrag", "alleenstaande"}),
        ("jak zlozyc wniosek o zorgtoeslag", {"hoe", "aanvragen"}),
        ("jaki jest limit dochodu na stadspas", {"inkomensgrens"}),
        ("mam dlugi i przyszedł komornik", {"schulden", "deurwaarder"}),
        ("jestem samotną matką z dwójką dzieci", {"alleenstaande", "moeder", "kinderen"}),
        ("czy muszę płacić podatek gminny", {"moet", "gemeentelijke", "kwijtschelding"}),
        ("moja emerytura jest za niska", {"aio", "aanvulling"}),
        # Darija in Latin letters
        ("ch7al kayn f lbijstand l wa7ed bo7di", {"hoeveel", "bijstand", "alleenstaande"}),
        ("bghit n3ref wach n9der nakhod lhuurtoeslag", {"kan", "krijgen", "huurtoeslag"}),
        ("kifach ndir demande dyal zorgtoeslag", {"hoe", "aanvragen"}),
        ("ma3ndich flous bach nkhalles lkra", {"geld", "betalen", "huur"}),
        ("ana w mrati w drari, lkhdma makaynach", {"partner", "kinderen", "werk"}),
        ("tamin dyali ghali bzaf", {"zorgverzekering"}),
        ("dariba dyal zbel jatni mn lbaladiya", {"afvalstoffenheffing", "gemeente"}),
        # Arabic script: diacritics, tatweel, hamza forms and prefixes do not matter
        ("كم مبلغ الإيجار المسموح به؟", {"hoeveel", "bedrag", "huur"}),
        ("كَمْ يُعْطُونَ لِشَخْصٍ واحِدٍ", {"hoeveel", "alleenstaande"}),
        ("كيف أقدم طلب للحصول على مساعدة الإيجار", {"hoe", "aanvragen", "huurtoeslag"}),
        ("عندي ديون كثيرة وجاتني رسالة من البلدية", {"schulden", "brief", "gemeente"}),
        ("معاش والدي قليل جدا", {"aow", "te", "laag"}),
        ("سكنا في بيت جديد بدون عفش", {"meubels", "bijzondere", "bijstand"}),
        ("أريد الاعتراض على القرار", {"bezwaar"}),
        ("بالتأمين الصحي والمخاطرة الذاتية", {"zorgverzekering", "eigen", "risico"}),
        ("انا متزوجه وعندي اطفال", {"gehuwden", "kinderen"}),
        ("هل يجب أن أدفع ضريبة النفايات", {"moet", "betalen", "afvalstoffenheffing"}),
    ],
)
def test_turkish_polish_darija_and_arabic_get_the_dutch_words(text, words):
    assert words <= set(added_words(text))


@pytest.mark.parametrize(
    "text",
    [
        "شكرا لكم",  # "to you": not كم (how much), which only counts as a word of its own
        "كما قلت لك",
        "عندي دينار واحد",  # دين (debt) is a whole word; دينار is not
    ],
)
def test_arabic_words_that_only_look_like_a_key_get_nothing(text):
    assert added_words(text) == []
