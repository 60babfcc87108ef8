"""Values as PostgreSQL's COPY reads them, shared by the rebuild's fold (text format, worker
processes: nothing heavy imported here) and its loader (`replay.copy_rows`, CSV)."""

from __future__ import annotations

import re

_PLAIN = re.compile(r"[a-z0-9_,]*")


def array_literal(values: list[str]) -> str:
    """A PostgreSQL array literal; codes (activities, traits) need no quoting, anything else is quoted."""
    joined = ",".join(values)
    if _PLAIN.fullmatch(joined) and all(values):
        return "{" + joined + "}"
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"
