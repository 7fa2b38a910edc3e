"""dishka providers of the medical card: its interactors, per request.

The records repository, blob storage and image sanitizer come from `bot.ioc_checks`
(the symptom check writes triage entries through the same repository).
"""

from __future__ import annotations

from dishka import Provider, Scope, provide

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
