"""What /delete_me does to each pet, and what the medical card holds, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.entities import MedicalRecord
from core.enums import AccessLevel, RecordKind, Species
from core.interactors.account import PlanAccountDeletion, user_storage_prefix
from core.interactors.export import card_file_name, card_of
from core.interactors.pets import AddPet, PetDraft
from tests.support.fake_records import FakeRecords
from tests.unit.test_pet_interactors import (
    COOWNER_TG,
    NOW,
    OWNER_TG,
    STRANGER_TG,
    VIEWER_TG,
    FakeAccess,
    FakePets,
    FakeUow,
    FakeUsers,
    FixedClock,
)


async def test_each_pet_is_deleted_handed_over_or_kept_by_the_rule() -> None:
    users, access = FakeUsers(), FakeAccess()
    pets = FakePets(access)
    for telegram_id in (OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG):
        await users.add(telegram_id=telegram_id, first_name="u", username=None, language="ru")
    add = AddPet(FakeUow(), users, pets, access, FakeRecords(), FixedClock())
    ids = {tg: (await users.get_by_telegram_id(tg)).id for tg in (COOWNER_TG, VIEWER_TG)}  # type: ignore[union-attr]
    other_owner = (await users.get_by_telegram_id(STRANGER_TG)).id  # type: ignore[union-attr]

    alone = await add(OWNER_TG, PetDraft(name="Alone", species=Species.CAT))
    await access.grant(
        pet_id=alone.id, user_id=ids[VIEWER_TG], level=AccessLevel.VIEWER, granted_at=NOW
    )
    family = await add(OWNER_TG, PetDraft(name="Family", species=Species.DOG))
    later = ids[VIEWER_TG]
    await access.grant(
        pet_id=family.id,
        user_id=later,
        level=AccessLevel.CO_OWNER,
        granted_at=NOW + timedelta(days=1),
    )
    await access.grant(
        pet_id=family.id, user_id=ids[COOWNER_TG], level=AccessLevel.CO_OWNER, granted_at=NOW
    )
    two_owners = await add(OWNER_TG, PetDraft(name="TwoOwners", species=Species.DOG))
    await access.grant(
        pet_id=two_owners.id, user_id=other_owner, level=AccessLevel.OWNER, granted_at=NOW
    )
    theirs = await add(STRANGER_TG, PetDraft(name="Theirs", species=Species.BIRD))
    owner_id = (await users.get_by_telegram_id(OWNER_TG)).id  # type: ignore[union-attr]
    await access.grant(
        pet_id=theirs.id, user_id=owner_id, level=AccessLevel.VIEWER, granted_at=NOW
    )

    plan = await PlanAccountDeletion(users, pets, access)(OWNER_TG)

    assert [fate.name for fate in plan.deleted] == ["Alone"]
    # The earliest co-owner becomes the owner.
    assert [(f.name, f.new_owner_user_id) for f in plan.handed_over] == [
        ("Family", ids[COOWNER_TG])
    ]
    assert sorted(fate.name for fate in plan.kept_by_others) == ["Theirs", "TwoOwners"]
    assert await PlanAccountDeletion(users, pets, access)(999_999) == type(plan)((), (), ())


def test_the_user_folder_prefix_ends_with_a_slash() -> None:
    # "users/tg-4/" must not match "users/tg-42/...".
    assert user_storage_prefix(4) == "users/tg-4/"


def _record(record_id: int, kind: RecordKind, day: int, **fields: object) -> MedicalRecord:
    values: dict[str, object] = {
        "id": record_id,
        "pet_id": 1,
        "kind": kind,
        "title": f"t{record_id}",
        "occurred_at": datetime(2024, 3, day, 22, 30, tzinfo=UTC),
        "details": None,
        "data": {},
        "next_due_at": None,
        "author_user_id": None,
        "attachment_key": None,
        "attachment_content_type": None,
        "created_at": NOW,
        **fields,
    }
    return MedicalRecord(**values)  # type: ignore[arg-type]


async def test_the_card_puts_vaccinations_in_a_table_and_the_rest_in_order() -> None:
    access = FakeAccess()
    pets = FakePets(access)
    pet = await pets.add(name="Барсик", species=Species.CAT)
    records = [
        _record(3, RecordKind.PROCEDURE, 20),
        _record(
            1,
            RecordKind.VACCINATION,
            5,
            data={"vaccine": "Nobivac Tricat", "batch": "A123"},
            next_due_at=datetime(2025, 3, 5, 9, tzinfo=UTC),
        ),
        _record(2, RecordKind.WEIGHT, 1),
        _record(4, RecordKind.VACCINATION, 2),
    ]

    card = card_of(pet, records, NOW, "Europe/Moscow")

    # 22:30 UTC is the next day in Moscow: dates are the reader's own.
    assert [(v.product, v.batch, v.given_on, v.next_due_on) for v in card.vaccinations] == [
        ("t4", None, date(2024, 3, 3), None),
        ("Nobivac Tricat", "A123", date(2024, 3, 6), date(2025, 3, 5)),
    ]
    assert [record.id for record in card.other_records] == [2, 3]
    assert card_of(pet, [], NOW, "Not/AZone").time_zone == "Europe/Moscow"


def test_card_file_names_keep_the_name_and_drop_what_files_cannot_hold() -> None:
    assert card_file_name("Барсик", 1, "медкарта") == "Барсик-медкарта.pdf"
    assert card_file_name("Rex / Jr.", 2, "medical-card") == "Rex-Jr-medical-card.pdf"
    assert card_file_name("../..", 3, "medical-card") == "pet-3-medical-card.pdf"
    # A locale that gives nothing usable still names the file.
    assert card_file_name("Rex", 4, "../") == "Rex-card.pdf"
