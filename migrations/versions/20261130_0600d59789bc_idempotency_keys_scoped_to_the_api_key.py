"""idempotency keys scoped to the api key

Revision ID: 0600d59789bc
Revises: 44a81f961f90
Create Date: 2026-11-30 09:22:40.539437
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0600d59789bc"
down_revision: str | None = "44a81f961f90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Stored answers are a 24-hour retry cache and cannot be attributed to a key afterwards:
    # they are dropped, and a retry of an old request simply runs again.
    op.execute("DELETE FROM idempotency_record")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_key_id", sa.Uuid(), nullable=False))
        batch_op.drop_constraint(
            batch_op.f("uq_idempotency_record_organisation_id_key"), type_="unique"
        )
        batch_op.create_index(
            batch_op.f("ix_idempotency_record_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_idempotency_record_api_key_id_key"), ["api_key_id", "key"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_record_api_key_id_api_key"),
            "api_key",
            ["api_key_id"],
            ["id"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_record")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_idempotency_record_api_key_id_api_key"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_idempotency_record_api_key_id_key"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_idempotency_record_organisation_id"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_idempotency_record_organisation_id_key"), ["organisation_id", "key"]
        )
        batch_op.drop_column("api_key_id")
