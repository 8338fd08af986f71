"""organisation revision, measure data revision, renderings that housekeeping can sweep

Revision ID: d2237fc8622f
Revises: d3be11bf4d86
Create Date: 2026-12-04 04:59:34.089543
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.common

revision: str = "d2237fc8622f"
down_revision: str | None = "d3be11bf4d86"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("etag", sa.String(length=100), nullable=True))

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("data_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_column("data_changed_at")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))

    # Renderings are a cache: those of before this revision carry no revision to sweep them by.
    op.execute("DELETE FROM rendered_response")
    with op.batch_alter_table("rendered_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("measure_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("data_revision", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_rendered_response_measure_id"), ["measure_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_rendered_response_measure_id_measure"),
            "measure",
            ["measure_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("etag")

    with op.batch_alter_table("rendered_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_rendered_response_measure_id_measure"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_rendered_response_measure_id"))
        batch_op.drop_column("data_revision")
        batch_op.drop_column("measure_id")
        batch_op.drop_column("revision")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("revision")

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "data_changed_at", app.models.common.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.drop_column("data_revision")
