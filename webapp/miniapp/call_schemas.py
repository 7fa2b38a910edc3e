"""What the call routes answer (POST /miniapp/api/appointments/{id}/call/...)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from core.consultation_errors import CallNotOpenError
from core.interactors.consultation_lifecycle import CallTicket
from core.ports.video import IceServer, ParticipantRole


class IceServerOut(BaseModel):
    """One entry of `RTCConfiguration.iceServers`."""

    urls: list[str]
    username: str | None
    credential: str | None

    @classmethod
    def of(cls, server: IceServer) -> IceServerOut:
        return cls(urls=list(server.urls), username=server.username, credential=server.credential)


class CallJoinOut(BaseModel):
    """How the page enters the room: `builtin` gives ICE servers and the signalling socket's
    path; a hosted provider (daily) its meeting `token` and room `url`."""

    provider: str
    room_id: str
    participant_id: str
    role: ParticipantRole
    expires_at: datetime
    ice_servers: list[IceServerOut]
    token: str | None
    url: str | None
    signalling_url: str | None

    @classmethod
    def of(cls, ticket: CallTicket, signalling_url: str | None) -> CallJoinOut:
        credentials = ticket.credentials
        return cls(
            provider=credentials.provider,
            room_id=credentials.room_id,
            participant_id=credentials.participant_id,
            role=ticket.role,
            expires_at=credentials.expires_at,
            ice_servers=[IceServerOut.of(server) for server in credentials.ice_servers],
            token=credentials.token,
            url=credentials.url,
            signalling_url=signalling_url,
        )


class CallNotOpenProblem(BaseModel):
    """409: a participant, but not now; `opens_at` says when the window opens."""

    detail: str
    state: str  # not_open_yet | closed | not_active
    opens_at: datetime

    @classmethod
    def of(cls, error: CallNotOpenError) -> CallNotOpenProblem:
        return cls(detail=str(error), state=error.state, opens_at=error.opens_at)


class RoomNotReadyProblem(BaseModel):
    """503: the window is open but the room is not made yet; ask again after `retry_after_s`
    (also in the `Retry-After` header)."""

    detail: str
    retry_after_s: int
