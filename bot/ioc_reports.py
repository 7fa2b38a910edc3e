"""dishka providers of the vet's consultation report: its repository, its PDF, the interactors.

The PDF's labels come from the locales' own core (`FluentRuntimeCore`, app scope, bound by
bot.ioc_video for the scheduler's messages): the report is printed outside any update.
"""

from __future__ import annotations

from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.reports.consultation_report_pdf import FpdfConsultationReportRenderer
from core.interactors.consultation_report import (
    AmendReport,
    GetReport,
    GetReportPdf,
    SaveReportDraft,
    SubmitReport,
)
from core.ports.consultation_reports import (
    ConsultationReportRenderer,
    ConsultationReportRepository,
)
from db.repositories.consultation_reports import SqlConsultationReportRepository


class ReportsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def renderer(self, texts: FluentRuntimeCore) -> ConsultationReportRenderer:
        return FpdfConsultationReportRenderer(texts)

    reports = provide(SqlConsultationReportRepository, provides=ConsultationReportRepository)

    get_report = provide(GetReport)
    save_draft = provide(SaveReportDraft)
    submit = provide(SubmitReport)
    amend = provide(AmendReport)
    pdf = provide(GetReportPdf)
