"""`If-Match: <version>` on changing endpoints: the stream version the caller read.

A stale version is refused with 409 by the use case (after its permission check); a value that is
no version is a 422 naming the header.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from teilhabe_kit.problems import Conflict, Unprocessable


def if_match(
    value: Annotated[
        str | None, Header(alias="If-Match", description="the version as read (optimistic concurrency)")
    ] = None,
) -> int | None:
    """The version in `If-Match` (weak or quoted forms accepted), None when the header is absent."""
    if value is None:
        return None
    version = value.removeprefix("W/").strip('"')
    if not version.isdigit():
        raise Unprocessable("If-Match muss die gelesene Version sein (eine Zahl).", field="If-Match")
    return int(version)


IfMatch = Annotated[int | None, Depends(if_match)]
"""A FastAPI parameter type: `async def change(..., version: IfMatch)`."""


def expect(version: int, if_match: int | None, stale: str) -> None:
    """409 with the German detail `stale` when the caller's `If-Match` version is not the current one
    (check after the permission check, so a stranger learns nothing)."""
    if if_match is not None and if_match != version:
        raise Conflict(stale)
