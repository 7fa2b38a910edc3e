"""dishka providers of the symptom check: rules, storage, the photo model, the queue."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import timedelta

from dishka import Provider, Scope, from_context, provide
from taskiq import AsyncBroker

from ai.queue import TaskiqAnalysisQueue
from bot.notifier import DialogNotifier
from core.config import Settings
from core.image_work import ImageWork, PixelLimits
from core.interactors.check_requeue import RequeuePolicy, RequeueStuckChecks
from core.interactors.clinics import FindClinicsInCity, FindNearestClinics
from core.interactors.free_text import ReportTypedEmergency
from core.interactors.symptom_check import (
    AnalyzeCheck,
    GetCheckResult,
    PhotoAnalysisSetting,
    StoreCheckPhoto,
    SubmitCheck,
)
from core.ports.images import ImageSanitizer, PhotoQualityInspector
from core.ports.notifier import Notifier
from core.ports.photo_model import PhotoModel
from core.ports.queue import AnalysisQueue
from core.ports.repositories import (
    ClinicRepository,
    MedicalRecordRepository,
    SymptomCheckRepository,
)
from core.ports.storage import BlobStorage
from core.triage import ImageFinding, RuleSet, default_rules
from db.repositories.checks import SqlSymptomCheckRepository
from db.repositories.clinics import SqlClinicRepository
from db.repositories.records import SqlMedicalRecordRepository


class StorageProvider(Provider):
    scope = Scope.APP

    @provide
    async def storage(self, settings: Settings) -> BlobStorage:
        # The modules, not the package: db.storage re-exports the S3 storage, and boto3 is
        # ~60 ms of a start that keeps its files on disk (the sandbox).
        from db.storage.factory import create_blob_storage
        from db.storage.local import LocalBlobStorage

        storage = create_blob_storage(settings.storage_url, settings.s3_endpoint_url)
        if isinstance(storage, LocalBlobStorage) or not settings.storage_create_bucket:
            return storage
        from db.storage.s3 import S3BlobStorage  # loaded already: the factory built one

        if isinstance(storage, S3BlobStorage):
            await storage.ensure_bucket()
        return storage

    @provide
    def pixel_limits(self, settings: Settings) -> PixelLimits:
        section = settings.images
        return PixelLimits(
            max_pixels=section.max_pixels,
            max_full_decode_pixels=section.max_full_decode_pixels,
            max_document_pixels=section.max_document_pixels,
        )

    @provide
    def image_work(self, settings: Settings) -> Iterator[ImageWork]:
        # One pool per process: the bound on decodes at once holds across all requests.
        work = ImageWork(settings.images.decode_concurrency)
        yield work
        work.close()

    @provide
    def sanitizer(self, limits: PixelLimits) -> ImageSanitizer:
        from db.storage import PillowImageSanitizer

        return PillowImageSanitizer(limits=limits)

    @provide
    def photo_inspector(self) -> PhotoQualityInspector:
        from db.storage.photo_quality import PillowPhotoQualityInspector

        return PillowPhotoQualityInspector()


class PhotoModelProvider(Provider):
    """One model copy per process, loaded on first use: bot replicas never load it."""

    scope = Scope.APP

    @provide
    def analysis_setting(self, settings: Settings) -> PhotoAnalysisSetting:
        return PhotoAnalysisSetting(enabled=settings.ai_model_path is not None)

    @provide
    async def photo_model(self, settings: Settings) -> AsyncIterator[PhotoModel]:
        if settings.ai_model_path is None:
            yield RulesOnlyPhotoModel()
            return
        from ai.photo_model import load_photo_model

        model = load_photo_model(
            settings.ai_model_path,
            max_batch=settings.ai.max_batch,
            max_wait_ms=settings.ai.max_wait_ms,
            device=settings.ai.device,
            decode=settings.ai.decode,
        )
        yield model
        await model.aclose()


class RulesOnlyPhotoModel:
    """Stands in when AI_MODEL_PATH is unset. Checks are then never queued for analysis; if one
    was queued by a process that had a model, the owner gets the answer-based result."""

    name = "none"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        raise PhotoModelNotConfiguredError


class PhotoModelNotConfiguredError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("AI_MODEL_PATH is not set in this worker")


class ChecksProvider(Provider):
    broker = from_context(provides=AsyncBroker, scope=Scope.APP)
    dialog_notifier = from_context(provides=DialogNotifier, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def rules(self) -> RuleSet:
        return default_rules()

    @provide(scope=Scope.APP)
    def queue(self, broker: AsyncBroker) -> AnalysisQueue:
        return TaskiqAnalysisQueue(broker)

    @provide(scope=Scope.APP)
    def notifier(self, notifier: DialogNotifier) -> Notifier:
        return notifier

    @provide(scope=Scope.APP)
    def requeue_policy(self, settings: Settings) -> RequeuePolicy:
        return RequeuePolicy(
            after=timedelta(seconds=settings.queue.requeue_after_s),
            max_age=timedelta(seconds=settings.queue.requeue_max_age_s),
        )

    checks = provide(
        SqlSymptomCheckRepository, scope=Scope.REQUEST, provides=SymptomCheckRepository
    )
    records = provide(
        SqlMedicalRecordRepository, scope=Scope.REQUEST, provides=MedicalRecordRepository
    )
    submit = provide(SubmitCheck, scope=Scope.REQUEST)
    analyze = provide(AnalyzeCheck, scope=Scope.REQUEST)
    requeue = provide(RequeueStuckChecks, scope=Scope.REQUEST)
    result = provide(GetCheckResult, scope=Scope.REQUEST)
    clinics = provide(SqlClinicRepository, scope=Scope.REQUEST, provides=ClinicRepository)
    nearest_clinics = provide(FindNearestClinics, scope=Scope.REQUEST)
    clinics_in_city = provide(FindClinicsInCity, scope=Scope.REQUEST)
    typed_emergency = provide(ReportTypedEmergency, scope=Scope.REQUEST)
    store_photo = provide(StoreCheckPhoto, scope=Scope.REQUEST)
