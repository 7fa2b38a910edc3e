"""Symptom check: submit the owner's answers (and photos), answer at once, refine with photos."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.checks import (
    PhotoAnalysis,
    findings_to_json,
    make_answers,
    result_from_json,
    result_to_json,
    run_triage,
)
from core.clock import Clock
from core.entities import Pet, SymptomCheck, User
from core.enums import AccessLevel, CheckStatus, RecordKind
from core.errors import DomainError, UserNotFoundError
from core.image_work import ImageWork
from core.interactors.follow_ups import CheckFollowUps
from core.pets_errors import PetNotFoundError
from core.photo_errors import UnusablePhotoError
from core.photo_quality import PhotoStats, assess
from core.ports.images import ImageSanitizer, PhotoQualityInspector, SanitizedImage
from core.ports.notifier import Notifier, RecipientUnreachableError
from core.ports.photo_model import PhotoModel
from core.ports.queue import AnalysisQueue
from core.ports.repositories import (
    DuplicateEntityError,
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.triage import DetailValue, ImageFinding, RuleSet, TriageResult
from core.uploads import PHOTO_POLICY, check_upload

logger = logging.getLogger(__name__)

MAX_CHECK_PHOTOS = 3

# Who writes to the pet's medical card. A viewer (a pet sitter) only reads it: their check is
# stored and answered, but stays theirs, off the card that the owner keeps (and could not
# delete an automatic entry from).
CARD_WRITERS = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})


class CheckNotFoundError(DomainError):
    """No such check, or not the caller's: the two are indistinguishable on purpose."""

    def __init__(self, check_id: int) -> None:
        super().__init__(f"no symptom check {check_id}")
        self.check_id = check_id


class TooManyPhotosError(DomainError):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} photos; at most {MAX_CHECK_PHOTOS}")
        self.count = count


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    """A photo the dialog already validated, sanitized and put into BlobStorage."""

    storage_key: str
    content_type: str
    size_bytes: int
    telegram_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class PhotoAnalysisSetting:
    """Whether a photo model is configured (AI_MODEL_PATH); without one, triage is rules-only."""

    enabled: bool


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    check_id: int
    result: TriageResult
    analysis: PhotoAnalysis


async def pet_for(
    pets: PetRepository, access: PetAccessRepository, user: User, pet_id: int
) -> Pet:
    level = await access.get_level(user.id, pet_id)
    pet = await pets.get(pet_id) if level is not None else None
    if pet is None:
        raise PetNotFoundError(pet_id)
    return pet


class SubmitCheck:
    """Store a check and return the answer-based result at once.

    With photos and a configured model the check is queued for the worker, which sends the
    photo-refined result later; the owner never waits for the model to see the first answer.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
        records: MedicalRecordRepository,
        queue: AnalysisQueue,
        rules: RuleSet,
        analysis: PhotoAnalysisSetting,
        clock: Clock,
        follow_ups: CheckFollowUps,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._access = access
        self._checks = checks
        self._records = records
        self._queue = queue
        self._rules = rules
        self._analysis = analysis
        self._clock = clock
        self._follow_ups = follow_ups

    async def __call__(
        self,
        *,
        telegram_id: int,
        pet_id: int,
        signs: Sequence[str],
        details: Mapping[str, DetailValue],
        photos: Sequence[StoredPhoto] = (),
        idempotency_key: str | None = None,
        reason: str | None = None,
    ) -> CheckOutcome:
        if len(photos) > MAX_CHECK_PHOTOS:
            raise TooManyPhotosError(len(photos))
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        if idempotency_key is not None:
            existing = await self._checks.get_by_idempotency_key(idempotency_key)
            if existing is not None and existing.user_id == user.id:
                return self._outcome(existing)

        pet = await pet_for(self._pets, self._access, user, pet_id)
        now = self._clock.now()
        answers = make_answers(signs, details, reason)
        # Raises UnknownSignError / CaseError before anything is stored.
        result = run_triage(pet, answers, self._rules, now.date())
        if not photos:
            analysis = PhotoAnalysis.NO_PHOTOS
        elif self._analysis.enabled:
            analysis = PhotoAnalysis.PENDING
        else:
            analysis = PhotoAnalysis.NOT_CONFIGURED

        try:
            check = await self._checks.add(
                pet_id=pet.id,
                user_id=user.id,
                answers=answers,
                idempotency_key=idempotency_key,
                submitted_at=now,
            )
        except DuplicateEntityError:
            # Two presses of "submit" raced; the other one stored the check (the repository
            # lost only its savepoint, so this transaction goes on).
            raced = await self._checks.get_by_idempotency_key(idempotency_key or "")
            if raced is None:
                raise
            return self._outcome(raced)
        for position, photo in enumerate(photos):
            await self._checks.add_photo(
                check.id,
                position=position,
                storage_key=photo.storage_key,
                content_type=photo.content_type,
                size_bytes=photo.size_bytes,
                telegram_file_id=photo.telegram_file_id,
            )
        # The medical card links the check; it shows the check's latest result, so the
        # worker's refinement needs no second entry.
        if await self._access.get_level(user.id, pet.id) in CARD_WRITERS:
            await self._records.add(
                pet_id=pet.id,
                kind=RecordKind.TRIAGE_RESULT,
                title=result.urgency.value,
                occurred_at=now,
                data={"check_id": check.id},
                author_user_id=user.id,
            )
        pending = analysis is PhotoAnalysis.PENDING
        await self._checks.save_result(
            check.id,
            status=CheckStatus.QUEUED if pending else CheckStatus.DONE,
            urgency=result.urgency,
            result=result_to_json(result, analysis),
            rules_version=result.rules_version,
            model_used=False,
            model_version=None,
            completed_at=None if pending else now,
        )
        if not pending:
            # The owner sees this result right now, in the dialog: nothing left to deliver.
            await self._checks.mark_notified(check.id, now)
            # A queued check gets its follow-up when the worker saves the refined result.
            await self._follow_ups.result_saved(
                check_id=check.id, pet_id=pet.id, user_id=user.id, urgency=result.urgency, at=now
            )
        await self._uow.commit()
        if pending:
            # After the commit, so a fast worker always finds the check it is given.
            await self._queue.enqueue_check_analysis(check.id)
        return CheckOutcome(check.id, result, analysis)

    @staticmethod
    def _outcome(check: SymptomCheck) -> CheckOutcome:
        if check.result is None:
            raise CheckNotFoundError(check.id)
        result, analysis = result_from_json(check.result)
        return CheckOutcome(check.id, result, analysis)


class AnalyzeCheck:
    """The worker's task: photos → model → triage with findings → save → notify, once.

    Safe to run again for the same check (the queue delivers at least once): a check whose
    owner was already notified is left alone, and a crash before the notification just means
    the next delivery does the work again.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        checks: SymptomCheckRepository,
        storage: BlobStorage,
        model: PhotoModel,
        notifier: Notifier,
        rules: RuleSet,
        clock: Clock,
        follow_ups: CheckFollowUps,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._checks = checks
        self._storage = storage
        self._model = model
        self._notifier = notifier
        self._rules = rules
        self._clock = clock
        self._follow_ups = follow_ups

    async def __call__(self, check_id: int) -> None:
        check = await self._checks.get(check_id)
        if check is None:
            logger.warning("check %s vanished before analysis (deleted by its owner?)", check_id)
            return
        if check.notified_at is not None:
            logger.info("check %s was already delivered; redelivery ignored", check_id)
            return
        owner = await self._users.get(check.user_id)
        pet = await self._pets.get(check.pet_id)
        if owner is None or pet is None:
            logger.warning("check %s lost its owner or pet; nothing to deliver", check_id)
            return

        if check.status is not CheckStatus.DONE:
            attempt = await self._checks.start_attempt(check_id)
            await self._uow.commit()
            logger.info("analysing check %s (attempt %s)", check_id, attempt)
            await self._analyze(check, pet)
        # Claim the delivery first: of two concurrent runs of this task only one may send.
        # The cost is a tiny window (a crash between this commit and the send) in which the
        # owner would get no message; a duplicate would be sent on every slow redelivery.
        if not await self._checks.claim_notification(check_id, self._clock.now()):
            await self._uow.commit()
            logger.info("check %s is being delivered by another run", check_id)
            return
        await self._uow.commit()
        if owner.blocked_bot_at is not None:
            # The result stays in the pet's checks; a message would only bounce. The claim
            # stays too: a redelivery must not try again.
            logger.info("check %s not sent: its owner has blocked the bot", check_id)
            return
        try:
            await self._notifier.check_result_ready(
                telegram_id=owner.telegram_id, check_id=check_id
            )
        except RecipientUnreachableError:
            # They blocked the bot just now (the outbound path marked and logged them): the
            # same as above, and no error for the queue to redeliver.
            return
        except BaseException:
            await self._checks.release_notification(check_id)
            await self._uow.commit()
            raise

    async def _analyze(self, check: SymptomCheck, pet: Pet) -> None:
        photos = await self._checks.list_photos(check.id)
        # End the read before the slow part: no database transaction (on SQLite, the write
        # lock) may stay open while the model runs, or every chat would wait for it.
        await self._uow.commit()
        today = self._clock.now().date()
        try:
            images = [await self._storage.get(photo.storage_key) for photo in photos]
            per_photo = await self._model.analyze(images) if images else []
        except Exception as error:
            # Never silence: the owner gets the answer-based result, saying the photos failed.
            logger.exception("photo analysis of check %s failed", check.id)
            await self._save(check, pet, today, (), PhotoAnalysis.FAILED, error=repr(error))
            return
        for photo, findings in zip(photos, per_photo, strict=True):
            await self._checks.set_photo_findings(photo.id, findings_to_json(findings))
        flat = [finding for findings in per_photo for finding in findings]
        await self._save(check, pet, today, flat, PhotoAnalysis.DONE)

    async def _save(
        self,
        check: SymptomCheck,
        pet: Pet,
        today: date,
        findings: Sequence[ImageFinding],
        analysis: PhotoAnalysis,
        error: str | None = None,
    ) -> None:
        result = run_triage(pet, check.answers, self._rules, today, findings)
        completed_at = self._clock.now()
        await self._checks.save_result(
            check.id,
            status=CheckStatus.DONE,
            urgency=result.urgency,
            result=result_to_json(result, analysis),
            rules_version=result.rules_version,
            model_used=analysis is PhotoAnalysis.DONE,
            model_version=self._model.name if analysis is PhotoAnalysis.DONE else None,
            completed_at=completed_at,
            error=error,
        )
        # With the result, in its transaction: a redelivery that saves the result again
        # replaces this follow-up rather than adding a second.
        await self._follow_ups.result_saved(
            check_id=check.id,
            pet_id=check.pet_id,
            user_id=check.user_id,
            urgency=result.urgency,
            at=completed_at,
        )
        await self._uow.commit()


class GetCheckResult:
    """A check's stored result, for its owner (or anyone with access to the pet)."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._checks = checks

    async def __call__(self, *, telegram_id: int, check_id: int) -> tuple[SymptomCheck, Pet]:
        user = await self._users.get_by_telegram_id(telegram_id)
        check = await self._checks.get(check_id)
        if user is None or check is None:
            raise CheckNotFoundError(check_id)
        try:
            pet = await pet_for(self._pets, self._access, user, check.pet_id)
        except PetNotFoundError:
            raise CheckNotFoundError(check_id) from None
        return check, pet


class StoreCheckPhoto:
    """Validate an owner's photo by its content, strip its metadata (GPS!), and store it.

    Runs while the owner is still in the dialog, so a refused photo is explained on the spot
    and what they already entered stays; the check later refers to the photo by its key.
    A photo that shows too little (`core.photo_quality`) raises `UnusablePhotoError` and is
    not stored.
    """

    def __init__(
        self,
        storage: BlobStorage,
        sanitizer: ImageSanitizer,
        inspector: PhotoQualityInspector,
        image_work: ImageWork,
    ) -> None:
        self._storage = storage
        self._sanitizer = sanitizer
        self._inspector = inspector
        self._image_work = image_work

    async def __call__(
        self, telegram_id: int, data: bytes, telegram_file_id: str | None = None
    ) -> StoredPhoto:
        check_upload(data, PHOTO_POLICY)  # UploadRejectedError: empty, too large, not an image
        # Decoding, re-encoding and measuring are CPU work and memory: off the event loop, and
        # no more at once than the process's image pool allows.
        clean, stats = await self._image_work.run(self._sanitize_and_measure, data)
        problems = assess(stats)
        if problems:
            # Logged here, once, with the numbers: they are what a threshold is tuned on.
            logger.info("check photo refused (%s): %s", ", ".join(problems), stats)
            raise UnusablePhotoError(problems)
        key = f"users/tg-{telegram_id}/checks/{uuid.uuid4().hex}.jpg"
        await self._storage.put(key, clean.data, clean.content_type)
        return StoredPhoto(
            storage_key=key,
            content_type=clean.content_type,
            size_bytes=len(clean.data),
            telegram_file_id=telegram_file_id,
        )

    def _sanitize_and_measure(self, data: bytes) -> tuple[SanitizedImage, PhotoStats]:
        clean = self._sanitizer.sanitize(data)
        # The sanitized picture is measured: upright, transparency flattened, one format, and
        # the only one of the two that a decoder has already opened safely.
        return clean, self._inspector.measure(clean.data)
