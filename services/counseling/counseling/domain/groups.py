"""Groups of clients (stream `client_group`): name and description visible to clients, members
added and removed by the centre's staff, deleted only by their creator or an admin."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from counseling.domain import events as e
from teilhabe_events import DomainEvent
from teilhabe_events.contexts import counseling as pub
from teilhabe_kit.problems import Conflict, Forbidden, NotFound

Event = e.Event | DomainEvent


@dataclass(frozen=True)
class Group:
    id: str
    centre_id: str = ""
    created_by: str = ""
    members: frozenset[str] = field(default_factory=frozenset)
    deleted: bool = False


def evolve(state: Group | None, event: Event, stream_id: str) -> Group:
    state = state or Group(id=stream_id)
    match event:
        case pub.ClientGroupCreated():
            return replace(state, centre_id=event.centre_id, created_by=event.created_by)
        case pub.ClientGroupMemberAdded():
            return replace(state, members=state.members | {event.client_id})
        case pub.ClientGroupMemberRemoved():
            return replace(state, members=state.members - {event.client_id})
        case pub.ClientGroupDeleted():
            return replace(state, deleted=True, members=frozenset())
    return state


def existing(state: Group | None, centre_id: str) -> Group:
    if state is None or state.deleted or state.centre_id != centre_id:
        raise NotFound("Diese Gruppe gibt es nicht.")
    return state


def create(centre_id: str, name: str, description: str | None, by: str) -> list[Event]:
    return [
        pub.ClientGroupCreated(centre_id=centre_id, created_by=by),
        e.GroupDescribed(name=name, description=description),
    ]


def describe(state: Group, name: str, description: str | None) -> list[Event]:
    return [e.GroupDescribed(name=name, description=description)]


def add_member(state: Group, client_id: str) -> list[Event]:
    if client_id in state.members:
        raise Conflict("Diese Person ist schon in der Gruppe.", field="client_id")
    return [pub.ClientGroupMemberAdded(client_id=client_id)]


def remove_member(state: Group, client_id: str) -> list[Event]:
    if client_id not in state.members:
        raise NotFound("Diese Person ist nicht in der Gruppe.")
    return [pub.ClientGroupMemberRemoved(client_id=client_id)]


def delete(state: Group, by: str, *, admin: bool) -> list[Event]:
    if state.created_by != by and not admin:
        raise Forbidden("Eine Gruppe löschen dürfen nur die Person, die sie angelegt hat, und Admins.")
    return [pub.ClientGroupDeleted(deleted_by=by)]
