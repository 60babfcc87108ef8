"""Pages of the seekers."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gateway.web.forms import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
