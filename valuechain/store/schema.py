"""Every table of the store, in one place: what the migrations (``store/migrations``) build, and
what the code reads and writes. A table added here is added by a new migration too
(``tests/architecture/test_one_home.py`` checks that both agree)."""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()

# The centres kept ---------------------------------------------------------------------------------

# A row: one centre, under the key its name gives (``vocabulary.normalise_reference``).
CENTRES = sa.Table(
    "centres",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("town", sa.String(200)),
    sa.Column("department", sa.String(20)),
    sa.Column("federation", sa.String(300)),
)
# A row: one import of a centre's workbook for a year (its file, tables as typed, problems, figures).
VERSIONS = sa.Table(
    "versions",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE"), nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("batch", sa.String(300)),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("file_data", sa.LargeBinary, nullable=False),
    sa.Column("raw", sa.JSON, nullable=False),
    sa.Column("problems", sa.JSON, nullable=False),
    sa.Column("figures", sa.JSON, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("resources_total", sa.Float),
    sa.Column("estimated_share", sa.Float),
    sa.Column("local_coverage", sa.Float),
    # The definitions of the figures that computed ``figures`` (``figures.DEFINITIONS``).
    sa.Column("definitions", sa.Integer, nullable=False, server_default="1"),
    # A deleted version is hidden, not removed: an admin may restore it for ``KEPT_DELETED``,
    # then ``purge`` removes it (migration 0005).
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    sa.Column("deleted_by", sa.String(320)),
    sa.UniqueConstraint("centre_id", "year", "number", name="one_number_per_centre_year"),
    # A year's comparison reads every centre's versions of that year.
    sa.Index("versions_by_year", "year", "centre_id"),
)
# A row: a person's word on a match of the Évolution page (``evolution.MatchDecision``, migration 0008).
ACTOR_MATCHES = sa.Table(
    "actor_matches",
    METADATA,
    sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("current", sa.String(300), primary_key=True),
    sa.Column("previous", sa.String(300), primary_key=True),
    sa.Column("confirmed", sa.Boolean, nullable=False),
    sa.Column("decided_by", sa.String(320), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)
# A row: a person's work in progress in one browser tab, its files and edits (``store.drafts``).
DRAFTS = sa.Table(
    "drafts",
    METADATA,
    sa.Column("person", sa.String(320), primary_key=True),
    sa.Column("tab", sa.String(64), primary_key=True),
    sa.Column("centre_key", sa.String(300)),
    sa.Column("files", sa.LargeBinary, nullable=False),
    sa.Column("edited", sa.JSON),
    sa.Column("opened_version", sa.Integer),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Who may do what (``valuechain.access``) ----------------------------------------------------------

# A row: a role given to a person (an e-mail) in a federation, on one centre for a member.
ROLES = sa.Table(
    "roles",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person", sa.String(320), nullable=False),  # the identity's e-mail, lower case
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("federation", sa.String(300), nullable=False),
    sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE")),
    sa.Column("granted_by", sa.String(320), nullable=False),
    sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("roles_by_person", "person"),
)
# A row: a person (an e-mail given a role) bound to the provider's account that first signed in
# with it (migration 0006): the e-mail names the person, the issuer and subject are who they are.
IDENTITIES = sa.Table(
    "identities",
    METADATA,
    sa.Column("person", sa.String(320), primary_key=True),
    sa.Column("issuer", sa.String(500), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
)
# A row: what a federation's admin chose (whether its analysts see the centres' names).
FEDERATION_SETTINGS = sa.Table(
    "federation_settings",
    METADATA,
    sa.Column("federation", sa.String(300), primary_key=True),
    sa.Column("analysts_see_names", sa.Boolean, nullable=False, server_default=sa.false()),
)
# A row: one thing someone did or was refused on the store, for the federation's audit log.
AUDIT = sa.Table(
    "audit",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("person", sa.String(320), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("federation", sa.String(300)),
    sa.Column("centre", sa.String(300)),
    sa.Column("version_id", sa.Integer),
    sa.Column("detail", sa.String(500)),
    sa.Index("audit_by_federation", "federation", "at"),
)

# Workshops (``valuechain.workshop``) ----------------------------------------------------------------

# A row: one workshop on a centre's workbook, from its opening to the version its closing kept.
WORKSHOPS = sa.Table(
    "workshops",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(12), nullable=False, unique=True),
    sa.Column("centre_name", sa.String(300), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("base_raw", sa.JSON, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", ondelete="SET NULL")),
    sa.Column("layout", sa.JSON),
    # Who opened it, on a federation's server (migration 0005): they alone resume and run it.
    sa.Column("opened_by", sa.String(320)),
)
# A row: one change of a workshop's journal (who, when, what it changed, whether it still holds).
ENTRIES = sa.Table(
    "workshop_entries",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("proposal_id", sa.Integer),
    sa.UniqueConstraint("workshop_id", "seq", name="one_seq_per_workshop"),
)
# A row: one phone that joined a workshop, known by its token's hash only.
PARTICIPANTS = sa.Table(
    "workshop_participants",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("workshop_id", "token_sha256", name="one_participant_per_token"),
)
# A row: one answer a participant sent, waiting for the facilitator or decided.
PROPOSALS = sa.Table(
    "workshop_proposals",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    sa.Column(
        "participant_id", sa.Integer, sa.ForeignKey("workshop_participants.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Index("proposals_by_workshop", "workshop_id", "status"),
)
