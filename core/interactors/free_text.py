"""What a typed message means outside a form: an emergency, a symptom, or nothing we know.

A frightened owner types ("мой пёс съел шоколад") instead of pressing buttons. A red flag in the
text gets the emergency result at once; the decision stays with the triage rules, which see the
same signs and details the emergency screen would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.check_questions import screen_item
from core.checks import make_answers, run_triage
from core.clock import Clock
from core.errors import UserNotFoundError
from core.interactors.symptom_check import CheckOutcome, SubmitCheck, pet_for
from core.ports.repositories import PetAccessRepository, PetRepository, UserRepository
from core.triage import DetailValue, RuleSet, Urgency

# A reason longer than this is cut: it is a chat message quoted to the vet, not a document.
MAX_REASON_CHARS = 500


@dataclass(frozen=True, slots=True)
class EmergencyAnswers:
    """The signs and details of the emergency screen items a message named."""

    signs: tuple[str, ...]
    details: Mapping[str, DetailValue]


def emergency_answers(screen_items: Sequence[str], toxin: str | None) -> EmergencyAnswers:
    signs: list[str] = []
    details: dict[str, DetailValue] = {}
    for item_id in screen_items:
        item = screen_item(item_id)
        if item is None:
            continue
        signs.extend(sign for sign in item.signs if sign not in signs)
        details.update(item.details)
    if toxin and "toxin_ingestion" in signs:
        details["toxin"] = toxin
    return EmergencyAnswers(tuple(signs), details)


def typed_reason(text: str) -> str:
    return " ".join(text.split())[:MAX_REASON_CHARS]


class ReportTypedEmergency:
    """A red flag typed in chat becomes the stored emergency result for one pet.

    Returns None when the rules do not call it an emergency for this animal (a dog "not
    peeing" is not the male cat's blockage): the dialog then offers the full symptom check.
    """

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        submit: SubmitCheck,
        rules: RuleSet,
        clock: Clock,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._submit = submit
        self._rules = rules
        self._clock = clock

    async def __call__(
        self,
        *,
        telegram_id: int,
        pet_id: int,
        screen_items: Sequence[str],
        toxin: str | None,
        text: str,
        idempotency_key: str | None = None,
    ) -> CheckOutcome | None:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        pet = await pet_for(self._pets, self._access, user, pet_id)
        answers = emergency_answers(screen_items, toxin)
        if not answers.signs:
            return None
        preview = run_triage(
            pet,
            make_answers(answers.signs, answers.details),
            self._rules,
            self._clock.now().date(),
        )
        if preview.urgency is not Urgency.HIGH:
            return None
        return await self._submit(
            telegram_id=telegram_id,
            pet_id=pet_id,
            signs=answers.signs,
            details=answers.details,
            reason=typed_reason(text),
            idempotency_key=idempotency_key,
        )
