"""Who may read which maturity assessments: the one place this domain is scoped, as query conditions.

A vehicle's assessments are read by its own users, the commissioners of the PCPGs it works in, the finance
directors of its health boards and national administrators (organisations' vehicle scope); a draft only by the
vehicle itself and national administrators; a peer reviewer reads the assessment they are named to review and no
other. Out of scope reads as absent (404)."""

from __future__ import annotations

from typing import Any

from accounts.actor import Actor, Role
from maturity.rules import AssessmentStatus
from maturity.tables import MaturityAssessment
from organisations.queries import scope_condition as organisations_vehicle_scope
from organisations.tables import DeliveryVehicle

NOTHING = MaturityAssessment.id == -1


def vehicle_scope(actor: Actor) -> Any:
    """The delivery vehicles whose confirmed maturity the actor may read, as a condition on DeliveryVehicle; None
    for all of them."""
    return organisations_vehicle_scope(actor)


def read_scope(actor: Actor) -> Any:
    """The assessments the actor may read, as a condition on MaturityAssessment; None for all of them."""
    if actor.role is Role.NATIONAL_ADMIN:
        return None
    reviewing = MaturityAssessment.reviewer == (actor.user_id or -1)
    if actor.role is Role.PROVIDER:
        return (MaturityAssessment.delivery_vehicle == (actor.delivery_vehicle_id or -1)) | reviewing
    if actor.role in (Role.COMMISSIONER, Role.FINANCE_DIRECTOR):
        vehicles = DeliveryVehicle.select(DeliveryVehicle.id).where(vehicle_scope(actor))
        past_draft = MaturityAssessment.status != AssessmentStatus.DRAFT.value
        return (MaturityAssessment.delivery_vehicle.is_in(vehicles) & past_draft) | reviewing
    return NOTHING


def scoped(query: Any, condition: Any) -> Any:
    return query if condition is None else query.where(condition)
