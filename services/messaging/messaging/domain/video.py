"""Jitsi-compatible video links with signed, expiring room tokens (pure).

Tokens follow Jitsi's JWT authentication (``aud`` "jitsi", ``iss`` app id, ``sub`` the server,
``room``, ``context.user.moderator``). The seminar link adds ``context.features`` that forbid
the participant's own camera, microphone and screen sharing (chat and polls stay), and the matching
start-muted options in the URL fragment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import jwt

SEMINAR_FRAGMENT = (
    "#config.startWithAudioMuted=true&config.startWithVideoMuted=true"
    "&config.disableSelfView=true&config.toolbarButtons=%5B%22chat%22%2C%22raisehand%22%2C%22hangup%22%5D"
)


@dataclass(frozen=True)
class RoomLinks:
    moderator_url: str
    guest_url: str
    seminar_url: str
    expires_at: datetime


def _token(
    secret: str,
    app_id: str,
    server: str,
    room: str,
    *,
    moderator: bool,
    seminar: bool,
    user_id: str | None,
    now: datetime,
    expires: datetime,
) -> str:
    context: dict = {"user": {"moderator": moderator, "id": user_id or "guest"}}
    if seminar:
        context["features"] = {"audio": False, "video": False, "screen-sharing": False, "chat": True, "polls": True}
    claims = {
        "aud": "jitsi",
        "iss": app_id,
        "sub": server,
        "room": room,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "moderator": moderator,
        "context": context,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def room_links(
    base_url: str, app_id: str, secret: str, room: str, moderator_id: str, now: datetime, valid: timedelta
) -> RoomLinks:
    """The three links of a room: moderator (start), guest (unrestricted), seminar (restricted)."""
    base = base_url.rstrip("/")
    server = urlsplit(base).hostname or base
    expires = now + valid
    common = dict(now=now, expires=expires)
    moderator = _token(secret, app_id, server, room, moderator=True, seminar=False, user_id=moderator_id, **common)
    guest = _token(secret, app_id, server, room, moderator=False, seminar=False, user_id=None, **common)
    seminar = _token(secret, app_id, server, room, moderator=False, seminar=True, user_id=None, **common)
    return RoomLinks(
        moderator_url=f"{base}/{room}?jwt={moderator}",
        guest_url=f"{base}/{room}?jwt={guest}",
        seminar_url=f"{base}/{room}?jwt={seminar}{SEMINAR_FRAGMENT}",
        expires_at=expires,
    )
