"""Free text outside the buttons: red flags get the emergency card, symptoms a symptom check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.check_questions import EMERGENCY_SCREEN, screen_item
from core.enums import Sex, Species
from core.free_text import (
    TOXIN_CODES,
    FreeTextScan,
    RedFlagsError,
    default_red_flags,
    describe_vocabulary,
    load_red_flags,
    normalize_text,
    parse_red_flags_text,
    scan_free_text,
    vocabulary_markdown,
)
from core.triage import TriageInput, Urgency, assess, default_rules

RULES = default_rules()
VOCABULARY = default_red_flags()
LOCALES = Path(__file__).parents[2] / "locales"


def flags(scan: FreeTextScan) -> set[str]:
    """Red flags as "item" or "toxin:code" — the shape of the table below."""
    return {f"toxin:{f.toxin}" if f.toxin else f.screen_item for f in scan.red_flags}


# (message, red flags, symptoms). Exact sets: an extra flag is as visible here as a missing one.
CASES: list[tuple[str, set[str], set[str]]] = [
    # ── the examples of the brief ──
    ("у кота кровь в моче и он орёт", {"urinary-blockage"}, {"blood_in_urine"}),
    ("my dog ate chocolate, what do I do?", {"toxin:chocolate"}, set()),
    ("мой пёс съел шоколад", {"toxin:chocolate"}, set()),
    ("собаку сбила машина", {"trauma"}, set()),
    ("he's not breathing", {"breathing"}, set()),
    ("кошка упала с 5 этажа", {"trauma"}, set()),
    ("судороги уже 10 минут", {"seizure"}, set()),
    # ── breathing, choking, collapse, gums ──
    ("кот задыхается!!!", {"breathing"}, set()),
    ("собака не дышит", {"breathing"}, set()),
    ("тяжело дышит и хрипит", {"breathing"}, set()),
    ("кошка дышит с открытым ртом", {"breathing"}, set()),
    ("my cat can't breathe", {"breathing"}, set()),
    ("he is struggling to breathe and gasping", {"breathing"}, set()),
    ("подавился костью", {"choking"}, set()),
    ("something stuck in his throat, he's choking", {"choking"}, set()),
    ("потерял сознание", {"collapse"}, set()),
    ("лежит без сознания", {"collapse"}, set()),
    ("упал и не встаёт", {"collapse"}, set()),
    ("my dog collapsed in the park", {"collapse"}, set()),
    ("she is unresponsive", {"collapse"}, set()),
    ("дёсны бледные", {"gums"}, set()),
    ("синие десны и язык синий", {"gums"}, set()),
    ("his gums are white", {"gums"}, set()),
    # ── urinary blockage ──
    ("кот не писает второй день", {"urinary-blockage"}, set()),
    ("не может пописать, сидит в лотке", {"urinary-blockage"}, set()),
    ("тужится в лоток, а мочи нет", {"urinary-blockage"}, set()),
    ("my cat can't pee", {"urinary-blockage"}, set()),
    ("he keeps straining in the litter box", {"urinary-blockage"}, set()),
    # ── bleeding ──
    ("кровь не останавливается", {"bleeding"}, set()),
    ("порезал лапу, хлещет кровь", {"bleeding"}, {"wound"}),
    ("bleeding won't stop", {"bleeding"}, set()),
    ("there is blood everywhere", {"bleeding"}, set()),
    ("кровь из носа", {"bleeding"}, set()),
    # ── seizure ──
    ("у собаки припадок", {"seizure"}, set()),
    ("его трясёт и пена изо рта", {"seizure"}, set()),
    ("my dog is having a seizure", {"seizure"}, set()),
    ("she's fitting", {"seizure"}, set()),
    ("convulsions for 3 minutes", {"seizure"}, set()),
    # ── paralysis, bloat ──
    ("у кошки отнялись задние лапы и она кричит", {"paralysis"}, set()),
    ("задние лапы не работают", {"paralysis"}, set()),
    ("dragging his back legs", {"paralysis"}, set()),
    ("живот вздулся, пытается рвать, но ничего не выходит", {"bloat"}, set()),
    ("bloated and retching", {"bloat"}, set()),
    ("swollen belly and dry heaving", {"bloat"}, set()),
    # ── toxins ──
    ("сожрал плитку шоколада", {"toxin:chocolate"}, set()),
    ("съел жвачку с ксилитом", {"toxin:xylitol"}, set()),
    ("ate sugar free gum", {"toxin:xylitol"}, set()),
    ("кот погрыз лилию", {"toxin:lily"}, set()),
    ("cat licked lily pollen", {"toxin:lily"}, set()),
    ("лизнул антифриз", {"toxin:antifreeze"}, set()),
    ("антифриз на полу в гараже", {"toxin:antifreeze"}, set()),
    ("съела крысиный яд", {"toxin:rodenticide"}, set()),
    ("she got into the rat poison", {"toxin:rodenticide"}, set()),
    ("проглотил таблетки", {"toxin:human_medication"}, set()),
    ("дали парацетамол от температуры", {"toxin:human_medication"}, {"temperature"}),
    ("наелся ибупрофена", {"toxin:human_medication"}, set()),
    ("ate ibuprofen", {"toxin:human_medication"}, set()),
    ("съел виноград", {"toxin:grapes"}, set()),
    ("наелся изюма", {"toxin:grapes"}, set()),
    ("ate grapes and raisins", {"toxin:grapes"}, set()),
    ("отравился", {"toxin:other"}, set()),
    ("chocolate poisoning", {"toxin:chocolate"}, set()),
    ("съел лук и чеснок", {"toxin:other"}, set()),
    # ── trauma and other screen items ──
    ("упал с балкона", {"trauma"}, set()),
    ("выпал из окна", {"trauma"}, set()),
    ("покусала собака", {"trauma"}, set()),
    ("hit by a car", {"trauma"}, set()),
    ("fell from the balcony", {"trauma"}, set()),
    ("attacked by a dog, bitten on the neck", {"trauma"}, {"wound"}),
    ("перегрелся на солнце", {"heatstroke"}, set()),
    ("left in a hot car", {"heatstroke"}, set()),
    ("морда опухла, крапивница", {"face-swelling"}, set()),
    ("swollen face and hives", {"face-swelling"}, set()),
    ("укусила змея", {"snake"}, {"wound"}),
    ("bitten by a snake", {"snake"}, {"wound"}),
    ("тужится, не может родить", {"labor"}, set()),
    ("кошка рожает, тужится уже час", {"labor"}, set()),
    ("in labor for hours, puppy stuck", {"labor"}, set()),
    ("глаз выпал", {"eye"}, set()),
    ("вдруг ослеп", {"eye"}, set()),
    ("her eye popped out", {"eye"}, set()),
    ("перегрыз провод", {"electric"}, set()),
    ("ударило током", {"electric"}, set()),
    ("chewed an electric cord", {"electric"}, set()),
    ("рвота с кровью", {"vomiting-blood"}, set()),
    ("вырвало кровью", {"vomiting-blood"}, set()),
    ("vomiting blood", {"vomiting-blood"}, set()),
    ("throwing up blood", {"vomiting-blood"}, set()),
    ("кролик не ест со вчера", {"gi-stasis"}, set()),
    ("my rabbit stopped eating and no poops", {"gi-stasis"}, set()),
    ("попугай сидит на дне клетки", {"cage-floor"}, set()),
    ("budgie on the cage floor", {"cage-floor"}, set()),
    # ── several flags in one message ──
    ("сбила машина, кровь не останавливается", {"trauma", "bleeding"}, set()),
    (
        "съел шоколад и изюм, теперь судороги",
        {"toxin:chocolate", "toxin:grapes", "seizure"},
        set(),
    ),
    ("ate rat poison and is bleeding from the gums", {"toxin:rodenticide", "bleeding"}, set()),
    ("не дышит и без сознания", {"breathing", "collapse"}, set()),
    # ── specific beats generic ──
    ("кровь в моче", set(), {"blood_in_urine"}),
    ("blood in his urine", set(), {"blood_in_urine"}),
    ("понос с кровью", set(), {"diarrhea"}),
    ("сдали анализ крови", set(), set()),
    ("blood test results", set(), set()),
    ("трясёт головой и чешет ухо", set(), {"ear_scratching"}),
    # ── symptoms ──
    ("кота рвёт", set(), {"vomiting"}),
    ("вырвало два раза", set(), {"vomiting"}),
    ("тошнит с утра", set(), {"vomiting"}),
    ("щенок блюёт", set(), {"vomiting"}),
    ("не ест и не пьёт", set(), {"not_eating", "not_drinking"}),
    ("отказывается от еды", set(), {"not_eating"}),
    ("у собаки понос", set(), {"diarrhea"}),
    ("хромает на заднюю лапу", set(), {"lameness"}),
    ("чешется постоянно", set(), {"itching"}),
    ("кашляет по ночам", set(), {"coughing"}),
    ("вялый, весь день спит", set(), {"lethargy"}),
    ("глаза гноятся", set(), {"eye_discharge"}),
    ("my dog is vomiting and has diarrhea", set(), {"vomiting", "diarrhea"}),
    ("not eating since yesterday", set(), {"not_eating"}),
    ("she's limping", set(), {"lameness"}),
    ("he keeps scratching his ears", set(), {"ear_scratching"}),
    ("coughing and sneezing", set(), {"coughing", "sneezing"}),
    ("lump on his side", set(), {"skin_lump"}),
    ("проглотил носок", set(), {"foreign_body_swallowed"}),
    ("шерсть лезет клоками", set(), {"hair_loss"}),
    ("пахнет изо рта", set(), {"bad_breath"}),
    ("температура 40", set(), {"temperature"}),
    # ── negation ──
    ("не рвёт", set(), set()),
    ("no vomiting", set(), set()),
    ("кровь не идёт", set(), set()),
    ("не кашляет", set(), set()),
    ("рвоты нет, но не ест", set(), {"not_eating"}),
    ("нет рвоты и поноса", set(), set()),
    ("no vomiting or diarrhea", set(), set()),
    ("поноса не было, но вялый", set(), {"lethargy"}),
    ("hasn't had any diarrhea", set(), set()),
    ("уже не рвёт, но задыхается", {"breathing"}, set()),
    ("не рвёт и задыхается", {"breathing"}, set()),
    ("не знаю, судороги это или нет", {"seizure"}, set()),
    ("не сильно кровит", {"bleeding"}, set()),
    # ── typos of common forms ──
    ("сьел шеколад", {"toxin:chocolate"}, set()),
    ("судорги", {"seizure"}, set()),
    ("задыхаеться", {"breathing"}, set()),
    ("наелся ибупрафена", {"toxin:human_medication"}, set()),
    ("my dog ate chocolat", {"toxin:chocolate"}, set()),
    ("siezure", {"seizure"}, set()),
    ("vomitting", set(), {"vomiting"}),
    ("diarhea", set(), {"diarrhea"}),
    ("хромаит", set(), {"lameness"}),
    ("кашлит", set(), {"coughing"}),
    # ── nothing to hear ──
    ("привет", set(), set()),
    ("спасибо", set(), set()),
    ("how much does a consultation cost?", set(), set()),
    ("Хочу записаться на приём", set(), set()),
    ("Отправил фото, посмотрите", set(), set()),
    ("Кот спит на кровати", set(), set()),
    ("What vaccines does my kitten need?", set(), set()),
    ("We are breeding our dog next year", set(), set()),
    ("Мы переехали в другой город", set(), set()),
    ("кот храпит по ночам", set(), set()),
    ("собака хорошо ест и играет", set(), set()),
    ("", set(), set()),
    ("!!! ???", set(), set()),
]


@pytest.mark.parametrize(("text", "red_flags", "symptoms"), CASES, ids=[c[0] for c in CASES])
def test_free_text_is_heard(text: str, red_flags: set[str], symptoms: set[str]) -> None:
    scan = scan_free_text(text)
    assert (flags(scan), set(scan.symptoms)) == (red_flags, symptoms)
    assert scan.is_empty == (not red_flags and not symptoms)


def test_the_table_is_big_enough_and_bilingual() -> None:
    cyrillic = [text for text, _, _ in CASES if re.search("[а-я]", text.lower())]
    assert len(CASES) >= 80
    assert len(cyrillic) >= 40 and len(CASES) - len(cyrillic) >= 40


def test_a_match_names_its_group_and_the_words_that_matched() -> None:
    (flag,) = scan_free_text("Мой пёс СЪЕЛ шоколад!").red_flags
    assert flag.screen_item == "toxin" and flag.toxin == "chocolate"
    assert flag.group == "toxin-chocolate"
    assert flag.words == ("сьел", "шоколад")


def test_a_scan_lists_screen_items_and_toxins_once() -> None:
    scan = scan_free_text("съел шоколад, потом ещё шоколад и виноград")
    assert scan.screen_items == ("toxin",)
    assert scan.toxins == ("chocolate", "grapes")


def test_normalisation_folds_case_yo_hard_sign_apostrophes_and_punctuation() -> None:
    assert normalize_text("Мой пёс СЪЕЛ   шоколад!!!") == "мой пес сьел шоколад"
    assert normalize_text("He's not breathing… can’t wake him") == (
        "hes not breathing cant wake him"
    )
    assert normalize_text("упала с 5этажа") == "упала с 5 этажа"
    assert normalize_text("ｃｈｏｃｏｌａｔｅ") == "chocolate"  # NFKC: full-width letters


def test_a_phrase_does_not_cross_sentence_punctuation() -> None:
    # "упал" and "с балкона" in different sentences are not a fall from a balcony.
    assert scan_free_text("кот упал с балкона").screen_items == ("trauma",)
    assert "trauma" not in scan_free_text("Кот упал. С балкона видно парк").screen_items


# ─── the vocabulary against the rules ──────────────────────────────────────────────────────


def red_flag_groups() -> list[tuple[str, str, str | None]]:
    return [
        (group.id, group.screen_item, group.toxin)
        for group in VOCABULARY.groups
        if group.kind == "red_flag" and group.screen_item is not None
    ]


@pytest.mark.parametrize(("group", "item_id", "toxin"), red_flag_groups(), ids=lambda v: str(v))
def test_every_red_flag_group_is_high_for_every_animal_its_item_applies_to(
    group: str, item_id: str, toxin: str | None
) -> None:
    item = screen_item(item_id)
    assert item is not None, group
    shown_to = [
        (species, sex) for species in Species for sex in Sex if item.applies_to(species, sex)
    ]
    assert shown_to, f"{item_id} applies to no animal"
    details = dict(item.details) | ({"toxin": toxin} if toxin else {})
    for species, sex in shown_to:
        case = TriageInput(species=species, sex=sex, signs=item.signs, details=details)
        assert assess(case, RULES).urgency is Urgency.HIGH, (group, species, sex)


def test_every_emergency_screen_item_can_be_heard_in_words() -> None:
    heard = {screen for _, screen, _ in red_flag_groups()}
    assert heard == {item.id for item in EMERGENCY_SCREEN}


def test_every_toxin_code_has_words() -> None:
    assert {toxin for _, _, toxin in red_flag_groups() if toxin} == TOXIN_CODES


def screen_labels() -> list[tuple[str, str, str]]:
    labels = []
    for locale in ("ru", "en"):
        text = (LOCALES / locale / "check.ftl").read_text("utf-8")
        for item in EMERGENCY_SCREEN:
            found = re.search(rf"^screen-{re.escape(item.id)} = (.+)$", text, re.MULTILINE)
            assert found, (locale, item.id)
            labels.append((locale, item.id, found.group(1)))
    return labels


@pytest.mark.parametrize(("locale", "item_id", "label"), screen_labels(), ids=lambda v: str(v))
def test_the_emergency_screens_own_labels_are_heard_as_their_item(
    locale: str, item_id: str, label: str
) -> None:
    # GI stasis is an emergency for rabbits and guinea pigs only: the owner names the animal.
    text = (
        f"{'кролик' if locale == 'ru' else 'rabbit'}: {label}" if item_id == "gi-stasis" else label
    )
    assert item_id in scan_free_text(text).screen_items


def test_symptom_groups_report_known_non_emergency_signs() -> None:
    emergency = set(RULES.emergency_signs())
    for group in VOCABULARY.groups:
        for sign in group.signs:
            assert sign in RULES.known_signs and sign not in emergency, (group.id, sign)


def test_every_group_has_a_source_and_the_listing_shows_it() -> None:
    rows = describe_vocabulary()
    assert {row.group for row in rows} == {group.id for group in VOCABULARY.groups}
    assert all(row.source.strip() and row.phrases for row in rows)
    markdown = vocabulary_markdown()
    assert "| toxin-chocolate | red_flag | toxin (chocolate) |" in markdown
    assert "S58 S59" in markdown


def test_the_vocabulary_is_shipped_and_loaded_once() -> None:
    assert default_red_flags() is default_red_flags()
    assert load_red_flags() is default_red_flags()
    shipped = Path(__file__).parents[2] / "core" / "triage" / "red_flags.toml"
    assert load_red_flags(shipped).groups == VOCABULARY.groups


# ─── a broken vocabulary is refused on load ────────────────────────────────────────────────

MINIMAL = """
version = "t1"
[grammar]
max_gap = 2
negations = ["не", "not"]
[words]
ingest = ["съел*", "ate"]
[[red_flag]]
id = "poison"
screen_item = "toxin"
toxin = "chocolate"
source = "S58"
with = ["@ingest"]
phrases = ["шоколад*", "chocolate"]
[[symptom]]
id = "vomit"
signs = ["vomiting"]
source = "S54"
phrases = ["рвот*", "vomit*"]
"""


def test_a_minimal_vocabulary_loads_and_scans() -> None:
    vocabulary = parse_red_flags_text(MINIMAL)
    scan = scan_free_text("съела шоколад, рвота", vocabulary)
    assert flags(scan) == {"toxin:chocolate"} and scan.symptoms == ("vomiting",)
    assert scan_free_text("шоколад", vocabulary).is_empty  # no ingestion verb


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('screen_item = "toxin"', 'screen_item = "teleport"', "unknown screen_item 'teleport'"),
        ('toxin = "chocolate"', 'toxin = "cake"', "unknown toxin 'cake'"),
        ('toxin = "chocolate"\n', "", "unknown toxin None"),
        ('signs = ["vomiting"]', 'signs = ["vomitting"]', "unknown sign code 'vomitting'"),
        ('signs = ["vomiting"]', 'signs = ["choking"]', "'choking' is an emergency sign"),
        ('source = "S58"', 'source = ""', "`source` must be a non-empty string"),
        ('source = "S58"', 'source = "S99"', "cites S99"),
        ('source = "S54"\n', "", "`source` must be a non-empty string"),
        ('with = ["@ingest"]', 'with = ["@eat"]', "unknown word class @eat"),
        ('phrases = ["рвот*", "vomit*"]', 'phrases = ["р*вот"]', "`*` only at the end"),
        ('phrases = ["рвот*", "vomit*"]', 'phrases = ["рвота|(a)"]', "is not one word"),
        ('phrases = ["рвот*", "vomit*"]', "phrases = []", "must not be empty"),
        ('id = "vomit"', 'id = "poison"', "duplicate group id 'poison'"),
        ("max_gap = 2", "max_gap = 9", "`max_gap`"),
        ('version = "t1"', "", "`version`"),
        ("[[symptom]]", "[[symptoms]]", "unknown key(s) symptoms"),
        ('source = "S54"', 'source = "S54"\nlevel = "high"', "unknown key(s) level"),
    ],
)
def test_loading_rejects_a_broken_vocabulary(old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    with pytest.raises(RedFlagsError) as error:
        parse_red_flags_text(MINIMAL.replace(old, new, 1), origin="broken.toml")
    assert message in str(error.value)
    assert str(error.value).startswith("broken.toml")


def test_loading_rejects_invalid_toml_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RedFlagsError, match="not valid TOML"):
        parse_red_flags_text("version = ")
    with pytest.raises(RedFlagsError, match="cannot read"):
        load_red_flags(tmp_path / "absent.toml")
