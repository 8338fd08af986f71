"""Tables and schemas, a module per domain. Importing this package registers every table."""

from app.models.audit import AuditEntry
from app.models.cache import RenderedResponse
from app.models.cycle import Cycle, CycleMeasureLink
from app.models.data import DataPoint
from app.models.goal import Goal
from app.models.idempotency import IdempotencyRecord
from app.models.links import MeasureGoalLink, ProjectGoalLink, ProjectMeasureLink, TargetGoalLink
from app.models.measure import Measure
from app.models.organisation import ApiKey, Organisation
from app.models.project import Project
from app.models.target import NationalTarget

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Cycle",
    "CycleMeasureLink",
    "DataPoint",
    "Goal",
    "IdempotencyRecord",
    "Measure",
    "MeasureGoalLink",
    "NationalTarget",
    "Organisation",
    "Project",
    "ProjectGoalLink",
    "ProjectMeasureLink",
    "RenderedResponse",
    "TargetGoalLink",
]
