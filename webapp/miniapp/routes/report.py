"""The vet's report: read it, save the draft, submit it, amend it, and its PDF."""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter, HTTPException, Response, status
from fastapi.responses import JSONResponse

from core.interactors.consultation_report import (
    AmendReport,
    GetReport,
    GetReportPdf,
    ReportView,
    SaveReportDraft,
    SubmitReport,
)
from core.ports.reports import ReportUnavailableError
from core.report_errors import (
    ReportAlreadySubmittedError,
    ReportInputError,
    ReportNotOpenError,
    ReportNotSubmittedError,
)
from webapp.miniapp.deps import CallerId, access_problems
from webapp.miniapp.report_schemas import (
    ReportAmendmentIn,
    ReportDraftIn,
    ReportInputProblem,
    ReportOut,
    ReportStateProblem,
    ReportSubmitIn,
)
from webapp.miniapp.schemas import Problem

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"])

_READ_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
}
_WRITE_REFUSALS: dict[int | str, dict[str, Any]] = {
    **_READ_REFUSALS,
    409: {"model": ReportStateProblem},
    422: {"model": ReportInputProblem},
}


def _conflict(problem: ReportStateProblem) -> JSONResponse:
    return JSONResponse(problem.model_dump(mode="json"), status.HTTP_409_CONFLICT)


async def _written(action: Callable[[], Awaitable[ReportView]], status_code: int) -> JSONResponse:
    """403/404 as everywhere (deps.access_problems); 409 and 422 carry fields of their own."""
    with access_problems():
        try:
            view = await action()
        except ReportInputError as error:
            return JSONResponse(
                ReportInputProblem.of(error).model_dump(mode="json"),
                status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
        except ReportNotOpenError as error:
            return _conflict(ReportStateProblem.not_open(error))
        except ReportAlreadySubmittedError as error:
            return _conflict(ReportStateProblem(detail=str(error), state="submitted"))
        except ReportNotSubmittedError as error:
            return _conflict(ReportStateProblem(detail=str(error), state="draft"))
    return JSONResponse(ReportOut.of(view).model_dump(mode="json"), status_code)


@router.get(
    "/appointments/{appointment_id}/report", response_model=ReportOut, responses=_READ_REFUSALS
)
async def get_report(
    appointment_id: int, caller: CallerId, get: FromDishka[GetReport]
) -> ReportOut:
    """The report: the booked vet always gets one (an empty draft at first, with their
    notes); owners, co-owners, viewers and admins the submitted one (404 before that)."""
    with access_problems():
        return ReportOut.of(await get(caller, appointment_id))


@router.put(
    "/appointments/{appointment_id}/report/draft",
    response_model=ReportOut,
    responses=_WRITE_REFUSALS,
)
async def save_draft(
    appointment_id: int, body: ReportDraftIn, caller: CallerId, save: FromDishka[SaveReportDraft]
) -> Response:
    """The booked vet saves the report so far, notes included; fields left out keep their
    saved value. From the call window's opening until the report is submitted."""
    return await _written(
        lambda: save(caller, appointment_id, body.to_changes()), status.HTTP_200_OK
    )


@router.post(
    "/appointments/{appointment_id}/report",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_REFUSALS,
)
async def submit_report(
    appointment_id: int, body: ReportSubmitIn, caller: CallerId, submit: FromDishka[SubmitReport]
) -> Response:
    """The booked vet submits the report (assessment and diagnosis required): it goes to the
    pet's card and the owner's chat, and the appointment is completed. 409 the second time."""
    notes = body.notes if "notes" in body.model_fields_set else None
    return await _written(
        lambda: submit(caller, appointment_id, body.to_core(), notes), status.HTTP_201_CREATED
    )


@router.post(
    "/appointments/{appointment_id}/report/amendments",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_REFUSALS,
)
async def amend_report(
    appointment_id: int, body: ReportAmendmentIn, caller: CallerId, amend: FromDishka[AmendReport]
) -> Response:
    """The booked vet amends the submitted report: why, and the full new version. The
    original stays; the card shows the new one; the owner gets the new PDF."""
    return await _written(
        lambda: amend(caller, appointment_id, body.note, body.to_core()),
        status.HTTP_201_CREATED,
    )


@router.get(
    "/appointments/{appointment_id}/report.pdf",
    response_class=Response,
    responses={**_READ_REFUSALS, 200: {"content": {"application/pdf": {}}}},
)
async def get_report_pdf(
    appointment_id: int, caller: CallerId, pdf: FromDishka[GetReportPdf]
) -> Response:
    """The submitted report as a PDF in the caller's language, for whoever may read it."""
    with access_problems():
        try:
            document = await pdf(caller, appointment_id)
        except ReportUnavailableError as error:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(error)) from None
    return Response(
        document.data,
        media_type="application/pdf",
        # A pet's name may be Cyrillic: the header itself is Latin-1, so RFC 6266's
        # `filename*` carries the real name and `filename` an ASCII fallback.
        headers={
            "Content-Disposition": (
                f'inline; filename="consultation-{appointment_id}.pdf"; '
                f"filename*=UTF-8''{quote(document.file_name)}"
            )
        },
    )
