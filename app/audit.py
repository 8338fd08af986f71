"""Writing the audit trail, in the same transaction as the change it records."""

import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert
from sqlmodel import Session

from app.context import current_request_id
from app.models.audit import AuditAction, AuditEntry
from app.models.common import utcnow
from app.principal import Principal

_UNAUDITED = frozenset({"updated_at"})


def changed_fields(before: BaseModel | None, after: BaseModel | None) -> dict[str, Any]:
    old = before.model_dump(mode="json") if before else {}
    new = after.model_dump(mode="json") if after else {}
    return {
        field: {"before": old.get(field), "after": new.get(field)}
        for field in sorted(old.keys() | new.keys())
        if field not in _UNAUDITED and old.get(field) != new.get(field)
    }


def record_change(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    principal: Principal | None,
    action: AuditAction,
    resource_type: str,
    resource_id: uuid.UUID,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record a change: pass `before`/`after` to diff them, or `changes` already summarised.

    Inserted at once, as one statement: the ORM's flush of a new object costs several times
    the insert, on every write."""
    session.execute(
        _INSERT,
        {
            "id": uuid.uuid4(),
            "organisation_id": organisation_id,
            "occurred_at": utcnow(),
            "api_key_id": principal.key_id if principal else None,
            "action": action,
            "resource_type": resource_type,
            "resource_id": resource_id,
            "changes": changes if changes is not None else changed_fields(before, after),
            "request_id": current_request_id(),
        },
    )


_INSERT = insert(AuditEntry.__table__)  # type: ignore[attr-defined]
