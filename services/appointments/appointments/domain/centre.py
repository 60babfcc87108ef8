"""A centre's appointment settings: its rules and its counseling services (stream `appointment_centre`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from appointments.domain.events import CentreEvent, CentreRulesChanged, CounselingServiceDefined
from appointments.domain.values import CentreRules, CounselingService


@dataclass(frozen=True)
class Centre:
    centre_id: str
    rules: CentreRules = CentreRules()
    services: dict[str, CounselingService] = field(default_factory=dict)

    def offered(self, service_id: str) -> CounselingService | None:
        """The service when it exists and is not retired."""
        service = self.services.get(service_id)
        return service if service is not None and not service.retired else None


def evolve(state: Centre | None, event: CentreEvent, stream_id: str) -> Centre:
    centre = state or Centre(stream_id)
    match event:
        case CentreRulesChanged(rules=rules):
            return replace(centre, rules=rules)
        case CounselingServiceDefined(service=service):
            return replace(centre, services=centre.services | {service.service_id: service})
    return centre
