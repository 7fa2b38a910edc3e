"""dishka providers of the medical card: its interactors, per request.

The records repository, blob storage and image sanitizer come from `bot.ioc_checks`
(the symptom check writes triage entries through the same repository).
"""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, provide

from core.config import Settings
from core.interactors.pending_uploads import DiscardPendingUpload, ExpirePendingUploads
from core.interactors.records import (
    AddRecord,
    DeleteRecord,
    GetRecord,
    GetRecordDocument,
    ListRecords,
    LocalToday,
    StoreRecordDocument,
    VaccinationStatus,
    WeightHistory,
)
from core.ports.uploads import UploadRepository
from core.upload_quota import UploadLimits
from db.repositories.uploads import SqlUploadRepository


class RecordsProvider(Provider):
    scope = Scope.REQUEST

    local_today = provide(LocalToday)
    add_record = provide(AddRecord)
    list_records = provide(ListRecords)
    get_record = provide(GetRecord)
    delete_record = provide(DeleteRecord)
    weight_history = provide(WeightHistory)
    vaccination_status = provide(VaccinationStatus)
    store_record_document = provide(StoreRecordDocument)
    get_record_document = provide(GetRecordDocument)
    # Pending uploads (issue #10): files sent in forms, the quota and their expiry.
    uploads = provide(SqlUploadRepository, provides=UploadRepository)
    discard_pending_upload = provide(DiscardPendingUpload)
    expire_pending_uploads = provide(ExpirePendingUploads)

    @provide(scope=Scope.APP)
    def upload_limits(self, settings: Settings) -> UploadLimits:
        section = settings.uploads
        return UploadLimits(timedelta(seconds=section.pending_ttl_s), section.user_quota_bytes)
