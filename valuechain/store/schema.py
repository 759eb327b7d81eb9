"""Every table of the store, in one place: what the migrations (``store/migrations``) build, and
what the code reads and writes. A table added here is added by a new migration too
(``tests/architecture/test_one_home.py`` checks that both agree)."""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()

# Every table numbered by an ``id`` numbers its rows for all time ("ids for all time" below):
# SQLite, unless told (AUTOINCREMENT), gives a removed last row's id to the next row, and what
# processes kept under an id then served an erased centre's data as another's (issue 33.1;
# migration 0009). PostgreSQL's sequences never go back.

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
    sqlite_autoincrement=True,  # ids for all time
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
    sqlite_autoincrement=True,  # ids for all time
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
    # The stored centre it is about (migration 0009): erased with it whatever name it was filed
    # under (a name edited on the Saisie page, a centre renamed since).
    sa.Column("centre_id", sa.Integer),
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
    sqlite_autoincrement=True,  # ids for all time
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
# A row: a provider's account (and the e-mail it showed) that signed out (migration 0011): the
# sign-in time of its latest session signed out; that session and every earlier one are over.
SIGN_OUTS = sa.Table(
    "sign_outs",
    METADATA,
    sa.Column("person", sa.String(320), primary_key=True),
    sa.Column("issuer", sa.String(500), primary_key=True),
    sa.Column("subject", sa.String(300), primary_key=True),
    sa.Column("last_ended_sign_in", sa.DateTime(timezone=True), nullable=False),
    sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False),
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
    # The centre the line is about (migration 0009): its name changes, its id does not; the
    # export and the erasure of a centre find its lines by it.
    sa.Column("centre_id", sa.Integer),
    sa.Column("version_id", sa.Integer),
    sa.Column("detail", sa.String(500)),
    sa.Index("audit_by_federation", "federation", "at"),
    sa.Index("audit_by_centre", "centre_id"),
    sqlite_autoincrement=True,  # ids for all time
)

# A row: one erasure of data for good (a centre erased, versions purged; migration 0009). Every
# process compares their count with the one it last saw before it trusts what it keeps in memory
# (``store.db.Memory``): an erasure by one process is known to all.
ERASURES = sa.Table(
    "erasures",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("centre_id", sa.Integer),  # the centre erased, or None for versions purged
    sqlite_autoincrement=True,  # ids for all time
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
    # Its last change, proposal or facilitator's visit (migration 0010): an idle workshop takes
    # no phone (``workshop.room.WORKSHOP_IDLE``), its code no longer one to guess.
    sa.Column("touched_at", sa.DateTime(timezone=True)),
    # While "closing": the digest of the file the close imports (migration 0010). An interrupted
    # close is finished with the version holding that very file, else undone.
    sa.Column("closing_sha256", sa.String(64)),
    # The last participant's number given (migration 0010): never given twice, even after its
    # holder left.
    sa.Column("last_number", sa.Integer),
    sqlite_autoincrement=True,  # ids for all time
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
    sqlite_autoincrement=True,  # ids for all time
)
# A row: one phone that joined a workshop, known by its token's hash only.
PARTICIPANTS = sa.Table(
    "workshop_participants",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    # Migration 0010: the number the room knows it by, kept when others leave; the digest of the
    # address it came from (a flood from one address stops at its limit, in every process); when
    # it was last seen (one who never proposed leaves after ``PARTICIPANT_IDLE``); evicted by the
    # facilitator (kept out).
    sa.Column("number", sa.Integer),
    sa.Column("address", sa.String(64)),
    sa.Column("seen_at", sa.DateTime(timezone=True)),
    sa.Column("evicted", sa.Boolean, nullable=False, server_default=sa.false()),
    # Migration 0012: when the facilitator freed its place (it had no accepted proposal): it
    # holds none until it comes back, within the room's limits.
    sa.Column("released_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("workshop_id", "token_sha256", name="one_participant_per_token"),
    sa.Index("participant_numbers", "workshop_id", "number", unique=True),
    sqlite_autoincrement=True,  # ids for all time
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
    sqlite_autoincrement=True,  # ids for all time
)
# A row: how many wrong tries (a join code, the facilitator's key) one address, the addresses
# that cannot be told apart ("?"), or everyone ("*") made in one minute (migration 0010). In the
# store, so that every process counts them; rows of past minutes are removed as new ones come.
ROOM_TRIES = sa.Table(
    "room_tries",
    METADATA,
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("subject", sa.String(64), primary_key=True),
    sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)
