"""The counselor's own things (stream `counselor`, id = the counselor's account id): profile,
photo and the bookmark list (Merkliste)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from counseling.domain import events as e
from teilhabe_kit.problems import Conflict, NotFound


@dataclass(frozen=True)
class Counselor:
    id: str
    photo_id: str | None = None
    bookmarks: frozenset[str] = field(default_factory=frozenset)


def evolve(state: Counselor | None, event: e.Event, stream_id: str) -> Counselor:
    state = state or Counselor(id=stream_id)
    match event:
        case e.CounselorPhotoChanged():
            return replace(state, photo_id=event.photo_id)
        case e.BookmarkAdded():
            return replace(state, bookmarks=state.bookmarks | {event.client_id})
        case e.BookmarkRemoved():
            return replace(state, bookmarks=state.bookmarks - {event.client_id})
    return state


def bookmark(state: Counselor, centre_id: str, client_id: str) -> list[e.Event]:
    if client_id in state.bookmarks:
        raise Conflict("Diese Person steht schon auf Ihrer Merkliste.")
    return [e.BookmarkAdded(centre_id=centre_id, client_id=client_id)]


def unbookmark(state: Counselor, client_id: str) -> list[e.Event]:
    if client_id not in state.bookmarks:
        raise NotFound("Diese Person steht nicht auf Ihrer Merkliste.")
    return [e.BookmarkRemoved(client_id=client_id)]


def delete_photo(state: Counselor) -> list[e.Event]:
    if state.photo_id is None:
        raise NotFound("Es gibt kein Profilbild.")
    return [e.CounselorPhotoChanged(photo_id=None)]
