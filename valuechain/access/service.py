"""Who may see or change which centre, on a deployment several people share.

One rule, ``authorise(user, operation, centre)``, decides every operation on the store; the
pages and the command line never filter by themselves: they call ``Access``, whose every
method asks ``authorise`` first and writes what it did to the audit log.

Roles are kept in the store (``roles``), so that every app process, and the command line,
gives the same answer to the same person; a person's roles are read again at every step, so
a role taken away takes effect at once, even while that person is signed in.

- the **owner** of a local store (the laptop, ``make run``, the command line on SQLite): every
  operation;
- an **admin** of a federation: its members, its centres, every version (restore and erase
  included), its audit log;
- an **analyst** of a federation: compares every centre of it, names shown or replaced by
  letters as its admin chose; opens no workbook (they hold the names of inhabitants);
- a **member** of a centre: imports, opens, exports, lists and compares its own centre's
  versions; of the federation's other centres, only distributions (quartiles of 5 centres or
  more, ``valuechain.chain.distribution``), never a centre's row;
- a workshop **participant**, and a person signed in with no role: nothing of the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable

import sqlalchemy as sa

from valuechain.chain.distribution import MIN_GROUP
from valuechain.chain.compare import QUALITY, aliases, comparison_part
from valuechain.chain import figures as registry
from valuechain.words.messages import ACCESS, ACCESS_REFUSALS, lang_or_default, say
from valuechain.store.db import CENTRES, METADATA, Store, Version

ADMIN, ANALYST, MEMBER = "admin", "analyst", "member"
ROLE_KINDS = (ADMIN, ANALYST, MEMBER)
OWNER = "local"  # who the audit log names for the owner of a local store

ROLES = sa.Table(
    "roles", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person", sa.String(320), nullable=False),  # the identity's e-mail, lower case
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("federation", sa.String(300), nullable=False),
    sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE")),
    sa.Column("granted_by", sa.String(320), nullable=False),
    sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("roles_by_person", "person"),
)
# Each person (an e-mail given a role) bound to the provider's account that first signed in
# with it (migration 0006): the e-mail names the person, the issuer and subject are who they are.
IDENTITIES = sa.Table(
    "identities", METADATA,
    sa.Column("person", sa.String(320), primary_key=True),
    sa.Column("issuer", sa.String(500), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
)
FEDERATION_SETTINGS = sa.Table(
    "federation_settings", METADATA,
    sa.Column("federation", sa.String(300), primary_key=True),
    sa.Column("analysts_see_names", sa.Boolean, nullable=False, server_default=sa.false()),
)
AUDIT = sa.Table(
    "audit", METADATA,
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

# How long a sign-in lasts before the person is asked to sign in again (hours), counted from
# the moment the identity provider vouched for them: a cookie taken from a shared computer
# does not open the store for Streamlit's 30 days.
SESSION_HOURS = float(os.environ.get("VALUECHAIN_SESSION_HOURS", "12"))


class Operation(str, Enum):
    LIST = "list"            # a centre's versions: dates, file names
    OPEN = "open"            # a version's workbook in the dashboard
    ORIGINAL = "original"    # the file as imported
    FIGURES = "figures"      # a centre's figures under its name, year after year
    COMPARE = "compare"      # a centre's figures beside others' (named or not: ``Decision.named``)
    IMPORT = "import"
    DELETE = "delete"
    EXPORT = "export"        # a file made from a version (PDF, workbook, map…)
    RESTORE = "restore"      # a deleted version back
    ERASE = "erase"          # a centre erased whole, for good (GDPR)
    CENTRE_EXPORT = "centre_export"  # everything kept about a centre (GDPR)
    MEMBERS = "members"      # roles given and taken in a federation, its settings
    AUDIT = "audit"          # the federation's audit log
    DISTRIBUTION = "distribution"  # a federation's figures as quartiles, no centre's row (benchmarks)


# What each role may do on a centre of its reach: one table, read by ``authorise``.
MEMBER_OWN = {Operation.LIST, Operation.OPEN, Operation.ORIGINAL, Operation.FIGURES, Operation.COMPARE,
              Operation.IMPORT, Operation.EXPORT}
# On the federation as a whole (no centre): its distributions, which name no centre.
FEDERATION_WIDE = {Operation.DISTRIBUTION}
ANALYST_ALLOWED = {Operation.COMPARE, Operation.DISTRIBUTION}
ADMIN_ALLOWED = set(Operation)


@dataclass(frozen=True)
class Role:
    kind: str
    federation: str
    centre_id: int | None = None
    centre: str | None = None  # the centre's name, for a member
    id: int | None = None
    person: str = ""


@dataclass(frozen=True)
class User:
    """Who asks: the owner of a local store, a signed-in person with the roles the store holds
    for them, or a workshop participant (no store at all)."""
    person: str
    name: str = ""
    roles: tuple[Role, ...] = ()
    owner: bool = False
    participant: bool = False

    @classmethod
    def local_owner(cls) -> "User":
        return cls(OWNER, owner=True)

    @classmethod
    def room_participant(cls) -> "User":
        return cls("participant", participant=True)

    @property
    def has_role(self) -> bool:
        return self.owner or bool(self.roles)

    def federations(self, kinds: Iterable[str] = ROLE_KINDS) -> list[str]:
        kinds = set(kinds)
        return sorted({r.federation for r in self.roles if r.kind in kinds})

    def is_admin(self, federation: str | None = None) -> bool:
        return self.owner or any(r.kind == ADMIN and (federation is None or r.federation == federation)
                                 for r in self.roles)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    named: bool = False    # the centre's name (and what would name it) may be shown
    reason: str = ""       # the refusal's catalogue key (``access_refusal``)


REFUSED_NO_ROLE = Decision(False, reason="no_role")


class Refused(Exception):
    """An operation ``authorise`` refused: one sentence in the user's language, nothing of
    what was asked for."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params

    def message(self, lang: str) -> str:
        return say(ACCESS_REFUSALS, self.reason, lang, **self.params)


def authorise(user: User, operation: Operation, federation: str | None,
              centre_id: int | None = None, analysts_see_names: bool = False) -> Decision:
    """May ``user`` do ``operation`` on the centre ``centre_id`` of ``federation`` (or, with
    no centre, on the federation itself: members, audit, a new centre's import)?

    The one rule of the deployment. ``analysts_see_names`` is what the federation's admin
    chose for its analysts (``Access`` reads it from the store)."""
    if user.participant:
        return Decision(False, reason="participant")
    if user.owner:
        return Decision(True, named=True)
    if not user.roles:
        return REFUSED_NO_ROLE
    if federation is None:  # a centre no federation holds: only a local store's owner sees it
        return Decision(False, reason="not_yours")
    best = Decision(False, reason="not_yours")
    for role in user.roles:
        if role.federation != federation:
            continue
        if role.kind == ADMIN and operation in ADMIN_ALLOWED:
            return Decision(True, named=True)
        if role.kind == MEMBER and centre_id is not None and role.centre_id == centre_id and operation in MEMBER_OWN:
            return Decision(True, named=True)
        if operation in FEDERATION_WIDE and centre_id is None and role.kind in (MEMBER, ANALYST):
            return Decision(True, named=False)
        if role.kind == ANALYST and operation in ANALYST_ALLOWED and centre_id is not None:
            best = Decision(True, named=analysts_see_names) if not best.allowed or analysts_see_names else best
        # A member never receives another centre's row, not even under a letter: only the
        # federation's distributions (Operation.DISTRIBUTION).
    return best


@dataclass(frozen=True)
class Identity:
    """What a signed-in person is, from the identity provider's claims: the e-mail an admin
    gives roles to (``person``), and the account behind it (``issuer`` and ``subject``)."""
    person: str
    name: str
    issuer: str = ""
    subject: str = ""


def trusted_email_issuers() -> frozenset[str]:
    """The providers whose e-mails are taken without an ``email_verified`` claim
    (``VALUECHAIN_EMAIL_TRUSTED_ISSUERS``, their issuers separated by spaces or commas): a
    provider such as Microsoft Entra sends none, and only its own organisation's addresses."""
    return frozenset(part for part in os.environ.get("VALUECHAIN_EMAIL_TRUSTED_ISSUERS", "").replace(",", " ").split()
                     if part)


def identity_from_claims(claims: dict, now: dt.datetime | None = None,
                         trusted_issuers: frozenset[str] | None = None) -> Identity:
    """The person behind ``st.user``'s claims, or ``Refused``: no e-mail the provider vouches
    for (``email_verified`` true, or a provider configured as vouching for its addresses), or
    a sign-in older than ``SESSION_HOURS``. A person is their e-mail, in lower case: what an
    admin types when giving a role; the account is the claims' issuer and subject."""
    email = str(claims.get("email") or "").strip().lower()
    issuer = str(claims.get("iss") or "")
    trusted = trusted_email_issuers() if trusted_issuers is None else trusted_issuers
    verified = claims.get("email_verified")
    vouched = verified is True or str(verified).lower() == "true" or (verified is None and issuer in trusted)
    if not email or "@" not in email or not vouched:
        raise Refused("no_email")
    issued = claims.get("iat") or claims.get("auth_time")
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        issued_at = dt.datetime.fromtimestamp(float(issued), dt.timezone.utc) if issued is not None else None
    except (TypeError, ValueError, OverflowError):
        issued_at = None
    if issued_at is None or now - issued_at > dt.timedelta(hours=SESSION_HOURS) or issued_at - now > dt.timedelta(minutes=5):
        raise Refused("session_expired")
    return Identity(email, str(claims.get("name") or email), issuer, str(claims.get("sub") or ""))


def erased_label(centre_id: int) -> str:
    """What the audit log says of a centre once erased: its number, never its name."""
    return f"#{centre_id} (effacé / erased)"


def normalise_person(person: str) -> str:
    person = (person or "").strip().lower()
    if "@" not in person or len(person) > 320 or any(c.isspace() for c in person):
        raise Refused("bad_person", person=person[:80])
    return person


def benchmark_report(report: dict, alias: str) -> dict:
    """A centre shown as a benchmark: its letter, its year and its compared figures, nothing
    that names it or anyone in it (no town, no federation, no actor, no problem)."""
    compared = comparison_part(report)
    kept = {"centre": alias, "year": compared["year"], "value_by_domain": compared["value_by_domain"] or {}}
    for code in (*registry.COMPARED, *QUALITY):  # read now: the registry may gain a figure
        value = compared[code]
        kept[code] = {"share": value.get("share")} if isinstance(value, dict) else value
    # The social value's ratio and its range only (comparison_part): its outcomes name the people concerned.
    kept["social_value"] = compared["social_value"]
    return kept


@dataclass
class AuditEntry:
    at: dt.datetime
    person: str
    action: str
    federation: str | None
    centre: str | None
    version_id: int | None
    detail: str | None


@dataclass
class Access:
    """The store as ``user`` may use it: every method asks ``authorise`` first, and what
    changes or reads a centre's data is written to the audit log."""
    store: Store
    user: User
    _settings: dict[str, bool] | None = field(default=None, repr=False)  # every federation's, read once
    _compared: dict = field(default_factory=dict, repr=False)  # one page run asks several times

    # The rule, with what the store knows ----------------------------------------------------------
    def analysts_see_names(self, federation: str | None) -> bool:
        if federation is None:
            return False
        if self._settings is None:
            # Every federation's setting in one query, once per Access (a page run): a national
            # comparison asked once per federation, 90 times.
            with self.store.engine.connect() as connection:
                self._settings = {row.federation: bool(row.analysts_see_names) for row in connection.execute(
                    sa.select(FEDERATION_SETTINGS.c.federation, FEDERATION_SETTINGS.c.analysts_see_names))}
        return self._settings.get(federation, False)

    def decide(self, operation: Operation, federation: str | None, centre_id: int | None = None) -> Decision:
        return authorise(self.user, operation, federation, centre_id, self.analysts_see_names(federation))

    def require(self, operation: Operation, federation: str | None, centre_id: int | None = None,
                centre: str | None = None, version_id: int | None = None) -> Decision:
        decision = self.decide(operation, federation, centre_id)
        if not decision.allowed:
            # A refusal is traced too: someone trying another centre's version is worth knowing.
            self.record("refused", federation, centre if decision.named else None, version_id, operation.value)
            raise Refused(decision.reason)
        return decision

    def _version(self, version_id: int, operation: Operation, deleted: bool = False) -> Version:
        """A version ``operation`` may act on; an unknown one and one the user may not see
        are refused alike (nobody learns which versions exist)."""
        try:
            version = self.store.version(int(version_id), deleted=deleted)
        except (LookupError, TypeError, ValueError):
            # Logged under the person's federations, so that their admins see who tries numbers.
            self._refused_unknown(f"{operation.value} {str(version_id)[:40]}")
            raise Refused("unknown_version") from None
        try:
            self.require(operation, version.federation, version.centre_id, version.centre, version.id)
        except Refused:
            raise Refused("unknown_version") from None
        return version

    def _refused_unknown(self, detail: str) -> None:
        """A refusal about something that does not exist, logged under each of the person's
        federations, so that their admins see who tries numbers or names."""
        federations: list[str | None] = [*self.user.federations()] or [None]
        for federation in federations:
            self.record("refused", federation, None, None, detail)

    def record(self, action: str, federation: str | None = None, centre: str | None = None,
               version_id: int | None = None, detail: str | None = None, connection=None) -> None:
        values = dict(at=dt.datetime.now(dt.timezone.utc), person=self.user.person, action=action,
                      federation=federation, centre=centre, version_id=version_id,
                      detail=(detail or None) and detail[:500])
        if connection is not None:
            connection.execute(AUDIT.insert().values(**values))
            return
        with self.store.engine.begin() as writing:
            writing.execute(AUDIT.insert().values(**values))

    # Reading ---------------------------------------------------------------------------------------
    def versions(self, centre: str | None = None) -> list[Version]:
        """The versions the user may list (a centre's dates and file names)."""
        return [v for v in self.store.versions(centre=centre) if self.decide(Operation.LIST, v.federation, v.centre_id).allowed]

    def compared(self, year: int | None = None, federation: str | None = None) -> list[tuple[Version, bool]]:
        """The newest version of each centre and year the user may compare, each with whether
        its name may be shown."""
        if (year, federation) not in self._compared:
            kept = []
            for version in self.store.latest(year=year, federation=federation):
                decision = self.decide(Operation.COMPARE, version.federation, version.centre_id)
                if decision.allowed:
                    kept.append((version, decision.named))
            self._compared[(year, federation)] = kept
        return list(self._compared[(year, federation)])

    def comparison(self, year: int | None = None, federation: str | None = None, lang: str = "fr",
                   anonymise: bool = False) -> list[dict]:
        """The figures of every centre the user may compare, for a year and a federation. A
        centre the user may not name comes as a benchmark (``benchmark_report``), under a
        letter given among the centres compared; ``anonymise`` does that for every centre."""
        compared = self.compared(year, federation)
        hidden = self._lettered(year, federation, anonymise)
        if 0 < len(hidden) < MIN_GROUP:
            # Under a letter among fewer than five, a centre is easily recognised: those rows
            # are not given at all (the page says why: ``letters_withheld``).
            compared = [(v, named) for v, named in compared if v.centre not in hidden]
            hidden = set()
        reports = self.store.comparison_figures([v.id for v, _ in compared])
        letters = aliases(hidden, lang_or_default(lang)) if hidden else {}
        shown = []
        for (version, named), report in zip(compared, reports):
            # The federation is the store's (an import's --federation wins over the workbook's).
            shown.append(benchmark_report(report, letters[version.centre]) if version.centre in hidden else
                         dict(report, version_id=version.id, federation=version.federation))
        return shown

    def letters_withheld(self, year: int | None = None, federation: str | None = None, anonymise: bool = False) -> int:
        """How many centres ``comparison`` leaves out because fewer than ``MIN_GROUP`` would be
        shown under letters."""
        hidden = self._lettered(year, federation, anonymise)
        return len(hidden) if len(hidden) < MIN_GROUP else 0

    def _lettered(self, year: int | None, federation: str | None, anonymise: bool) -> set[str]:
        """The centres a comparison would show under a letter: all (``anonymise``), or those the
        user may not name."""
        return {v.centre for v, named in self.compared(year, federation) if anonymise or not named}

    def distribution(self, year: int, federation: str):
        """A federation's distribution of each figure for a year (``benchmarks.distributions``),
        over the newest version of each of its centres, with the user's own centre's place when
        the user is a member of one (or the owner, an admin: none). Refused for a federation
        the user has no role in. No row of any centre leaves this method."""
        from valuechain.chain.distribution import distributions

        self.require(Operation.DISTRIBUTION, federation)
        versions = self.store.latest(year=year, federation=federation)
        reports = self.store.comparison_figures([v.id for v in versions])
        own_ids = {r.centre_id for r in self.user.roles if r.kind == MEMBER and r.federation == federation}
        own = next((report for v, report in zip(versions, reports) if v.centre_id in own_ids), None)
        return distributions(reports, own), own

    def _centre_years(self, operation: Operation) -> list[tuple[int, int | None, str | None, bool]]:
        """(centre id, year, federation, named) of each centre and year with a live version on
        which the user may do ``operation``, without reading the versions; once per Access."""
        if ("centre_years", operation) not in self._compared:
            kept = []
            for centre_id, year, federation in self.store.centre_years():
                decision = self.decide(operation, federation, centre_id)
                if decision.allowed:
                    kept.append((centre_id, year, federation, decision.named))
            self._compared[("centre_years", operation)] = kept
        return self._compared[("centre_years", operation)]

    def _compared_centre_years(self) -> list[tuple[int, int | None, str | None, bool]]:
        """Each centre and year the user may compare: ``compared()`` for every year."""
        return self._centre_years(Operation.COMPARE)

    def years(self) -> list[int]:
        return sorted({year for _, year, _, _ in self._compared_centre_years() if year is not None})

    def fullest_year(self) -> int | None:
        """The year with the most centres to compare (the newest of those): what a comparison
        opens on, rather than a new year only one centre has reported yet."""
        counts: dict[int, int] = {}
        for _, year, _, _ in self._compared_centre_years():
            if year is not None:
                counts[year] = counts.get(year, 0) + 1
        return max(counts, key=lambda year: (counts[year], year)) if counts else None

    def federations(self) -> list[str]:
        return sorted({federation for _, _, federation, named in self._compared_centre_years() if federation and named})

    def history(self, centre: str) -> list[dict]:
        """A centre's figures, year after year, under its name: its own members, its admins."""
        versions = self.store.latest(centre=centre)
        allowed = [v for v in versions if self.decide(Operation.FIGURES, v.federation, v.centre_id).allowed]
        return self.store.figures([v.id for v in allowed])

    def followed(self) -> list[dict]:
        """The centres whose years the user may follow under their name (``Operation.FIGURES``:
        a member its own, an admin its federation's, the owner every one), each with its years."""
        years: dict[int, set] = {}
        for centre_id, year, _, _ in self._centre_years(Operation.FIGURES):
            if year is not None:
                years.setdefault(centre_id, set()).add(year)
        centres = self.store.centres(CENTRES.c.id.in_(list(years))) if years else []
        return [dict(c, years=sorted(years[c["id"]])) for c in centres]

    def stored_years(self, centre_id: int, since: int | None = None):
        """A centre's stored years as (year, chain, figures), the newest version of each (from
        ``since`` on), the people's decisions on its matches, and the versions: for whoever may
        follow the centre. Refused alike for a centre that is not there."""
        centre = self._centre(centre_id, Operation.FIGURES)
        versions = [v for v in self.store.latest(centre=centre["key"])
                    if v.year is not None and (since is None or v.year >= since)]
        reports = self.store.figures([v.id for v in versions])
        years = [(v.year, self.store.chain(v), report) for v, report in zip(versions, reports)]
        return years, self.store.match_decisions(centre["id"]), versions

    def evolution(self, centre_id: int, since: int | None = None):
        """A centre's stored years (``evolution.Evolution``) and the versions it rests on."""
        from valuechain.chain.evolution import evolution

        years, decisions, versions = self.stored_years(centre_id, since)
        return evolution(years, decisions), versions

    def decide_match(self, centre_id: int, decision, forget: bool = False) -> None:
        """Keep (or, ``forget``, take back) a person's word on a match of a centre's actors
        across years: whoever may import the centre's workbooks may say who is who in them."""
        from valuechain.chain.evolution import node_key

        centre = self._centre(centre_id, Operation.IMPORT)
        # A decision names two actors of two consecutive stored years of this centre, nothing
        # else: the table holds what the page offered, not whatever a caller makes up.
        years = sorted(self.stored_years(centre["id"])[0], key=lambda item: item[0])
        index = next((i for i, (year, _, _) in enumerate(years) if year == decision.year), None)
        if index is None or index == 0 or \
                decision.current not in {node_key(n) for n in years[index][1]} or \
                decision.previous not in {node_key(n) for n in years[index - 1][1]}:
            raise Refused("unknown_match")
        if forget:
            self.store.forget_match(centre["id"], decision.year, decision.current, decision.previous)
        else:
            self.store.decide_match(centre["id"], decision, by=self.user.person)
        self.record("match", centre["federation"], centre["name"], None,
                    f"{decision.year}: {'forget' if forget else 'confirm' if decision.confirmed else 'undo'}")

    def counts(self) -> tuple[int, int]:
        """How many centres, and centre-years, the user may compare."""
        compared = self._compared_centre_years()
        return len({centre_id for centre_id, _, _, _ in compared}), len(compared)

    def version(self, version_id: int) -> Version:
        """One version's dates and file name, for whoever may list its centre's versions."""
        return self._version(version_id, Operation.LIST)

    def open(self, version_id: int):
        """A version's files as imported, to show in the whole dashboard."""
        version = self._version(version_id, Operation.OPEN)
        files = self.store.original_files(version.id)
        self.record("open", version.federation, version.centre, version.id)
        return files

    def original_file(self, version_id: int) -> tuple[str, bytes]:
        """A version's file as imported, to download."""
        version = self._version(version_id, Operation.ORIGINAL)
        found = self.store.original_file(version.id)
        self.record("original", version.federation, version.centre, version.id, version.file_name)
        return found

    def _may(self, version_id: int | None, operation: Operation) -> bool:
        """Whether ``operation`` may be done on the version a session shows; a refusal is logged.
        No version (a sample, a file just uploaded) is the session's own, not the store's."""
        if version_id is None:
            return True
        try:
            self._version(version_id, operation)
        except Refused:
            return False
        return True

    def still_shown(self, version_id: int | None) -> bool:
        """Whether the stored version a session shows may still be shown to this user, asked at
        every page run: a role taken away, a version deleted or a centre erased ends it at the
        next click, not when the session ends."""
        return self._may(version_id, Operation.OPEN)

    def may_export(self, version_id: int | None) -> bool:
        """Whether files may be made from the version shown."""
        return self._may(version_id, Operation.EXPORT)

    def exported(self, version_id: int | None, what: str) -> None:
        """Say that a file was made from a stored version (the Exporter page's buttons, Saisie's
        workbook, Carte's map): every download of a stored centre is in the log."""
        if version_id is None:
            return
        version = self._version(version_id, Operation.EXPORT)
        self.record("export", version.federation, version.centre, version.id, what)

    # Changing -------------------------------------------------------------------------------------
    def import_files(self, files, batch: str | None = None, limits=None, now=None, again: bool = False,
                     guarded: bool = False, federation: str | None = None) -> Version:
        """Import a workbook for a centre the user may import into. For a person, the centre's
        federation is the one their role gives, whatever the workbook says: nobody moves a
        centre into a federation they do not belong to."""
        def check(workbook) -> str | None:
            return self._import_target(workbook.centre.name, federation)

        version = self.store.import_files(files, batch=batch, limits=limits, now=now, again=again, guarded=guarded,
                                          check=check)
        self._compared.clear()
        self.record("import", version.federation, version.centre, version.id, version.file_name)
        return version

    def _import_target(self, centre_name: str, federation: str | None = None) -> str | None:
        """The federation a workbook of ``centre_name`` is kept in when this user imports it,
        or ``Refused`` (before anything is written)."""
        if self.user.owner:
            return federation
        known = self.store.centre_of_key(centre_name)
        if known is not None:
            self.require(Operation.IMPORT, known["federation"], known["id"], known["name"])
            return known["federation"]
        # A new centre: an admin's, in the federation they chose (or their only one).
        admin_of = self.user.federations([ADMIN])
        target = federation if federation in admin_of else (admin_of[0] if len(admin_of) == 1 else None)
        if target is None:
            self.record("refused", None, None, None, "import new centre")
            raise Refused("choose_federation" if admin_of else "new_centre")
        return target

    def open_workshop(self, workshops, raw, centre_name: str, source: str, by: str | None):
        """Open a workshop on a centre's workbook: only for someone who may import into that
        centre, since closing it keeps a version there. A person whose role was taken away, or
        whose centre was erased, opens none, whatever their session still shows."""
        self._import_target(centre_name)
        workshop = workshops.open(raw, centre_name, source=source, by=by)
        self.record("workshop_open", None, centre_name, None, workshop.code)
        return workshop

    def delete(self, version_id: int) -> None:
        self.purge()
        version = self._version(version_id, Operation.DELETE)
        self._compared.clear()
        self.store.delete(version.id, by=self.user.person)
        self.record("delete", version.federation, version.centre, version.id, version.file_name)

    def purge(self) -> None:
        """Remove for good what was deleted more than 30 days ago, each removal in the log.
        Done before any look at deleted versions: what is past its time is never restored."""
        for version in self.store.purge():
            self.record("purge", version.federation, version.centre, version.id, version.file_name)

    def deleted(self) -> list[Version]:
        """The hidden versions the user may restore."""
        self.purge()
        return [v for v in self.store.deleted_versions()
                if self.decide(Operation.RESTORE, v.federation, v.centre_id).allowed]

    def restore(self, version_id: int) -> None:
        self.purge()
        version = self._version(version_id, Operation.RESTORE, deleted=True)
        self._compared.clear()
        self.store.restore(version.id)
        self.record("restore", version.federation, version.centre, version.id, version.file_name)

    # A centre whole (the GDPR's rights of access and erasure) -------------------------------------------
    def centres(self, operation: Operation = Operation.CENTRE_EXPORT) -> list[dict]:
        return [c for c in self.store.centres() if self.decide(operation, c["federation"], c["id"]).allowed]

    def _centre(self, centre_id: int, operation: Operation) -> dict:
        """A centre ``operation`` may act on; an unknown one and one the user may not act on
        are refused alike, in the same words (nobody learns which centres exist). The
        refusal is logged."""
        centre = self.store.centre(int(centre_id))
        if centre is None:
            raise Refused("unknown_centre")
        try:
            self.require(operation, centre["federation"], centre["id"], centre["name"])
        except Refused:
            raise Refused("unknown_centre") from None
        return centre

    def centre_named(self, name: str, operation: Operation) -> dict:
        """The centre a name stands for, if the user may do ``operation`` on it (the command
        line's ``centre export|erase NAME``); else the refusal an unknown centre gets."""
        centre = self.store.centre_of_key(name)
        if centre is None:
            self._refused_unknown(f"{operation.value} {name[:80]}")
            raise Refused("unknown_centre")
        return self._centre(centre["id"], operation)

    def centre_export(self, centre_id: int) -> bytes:
        """A zip of everything kept about a centre: its fields, its members, each version's
        original file, tables as typed and figures (deleted ones too), its workshops (each with
        the workbook it started from, its journal and proposals), and its audit entries."""
        from valuechain.workshop.workshops import Workshops

        centre = self._centre(centre_id, Operation.CENTRE_EXPORT)
        archive = self.store.centre_archive(centre["id"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            members = [r.__dict__ for r in _roles(self.store, ROLES.c.centre_id == centre["id"])]
            summary = {"centre": archive["centre"], "members": members, "versions": []}
            for version in archive["versions"]:
                stem = f"versions/{version['id']}"
                out.writestr(f"{stem}/{os.path.basename(version['file_name']) or 'original'}", version["file_data"])
                out.writestr(f"{stem}/tables.json", json.dumps(version["raw"], ensure_ascii=False, indent=1, default=str))
                out.writestr(f"{stem}/figures.json", json.dumps(version["figures"], ensure_ascii=False, indent=1, default=str))
                summary["versions"].append({k: v for k, v in version.items()
                                            if k not in ("file_data", "raw", "figures", "problems")})
            for workshop in Workshops(self.store).centre_archive(archive["centre"]["key"], [v["id"] for v in archive["versions"]]):
                out.writestr(f"ateliers/{workshop['id']}.json", json.dumps(workshop, ensure_ascii=False, indent=1, default=str))
                summary.setdefault("workshops", []).append(workshop["id"])
            out.writestr("centre.json", json.dumps(summary, ensure_ascii=False, indent=1, default=str))
            out.writestr("audit.csv", audit_csv([e for e in self._audit(centre["federation"]) if e.centre == centre["name"]]))
        self.record("centre_export", centre["federation"], centre["name"])
        return buffer.getvalue()

    def erase_centre(self, centre_id: int) -> int:
        """Erase a centre for good: its versions, its workshops (the workbooks they started
        from, their journals and proposals), everyone's drafts of it, and its name in the audit log, which keeps who did
        what under the centre's number only. Returns the versions removed."""
        from valuechain.store.drafts import Drafts
        from valuechain.workshop.workshops import Workshops

        centre = self._centre(centre_id, Operation.ERASE)
        label = erased_label(centre["id"])

        def also(connection, key: str, version_ids: list[int]) -> None:
            Workshops.erase_centre(connection, key, version_ids)
            Drafts.erase_centre(connection, key, version_ids)
            about = AUDIT.c.centre == centre["name"]
            if version_ids:
                about = about | AUDIT.c.version_id.in_(version_ids)
            # The file names in ``detail`` carry the centre's name, and so may an import's refusal.
            connection.execute(AUDIT.update().where(about).values(centre=label, detail=None))
            # Its members' roles go with it (here rather than by the centre's cascade, so that the
            # rule of a revocation applies: a person left with no role is no longer bound).
            on_it = ROLES.c.centre_id == centre["id"]
            members = set(connection.execute(sa.select(ROLES.c.person).where(on_it)).scalars())
            connection.execute(ROLES.delete().where(on_it))
            _unbind_roleless(connection, members)

        self._compared.clear()
        removed = self.store.erase_centre(centre["id"], also=also)
        self.record("erase", centre["federation"], label, None, str(removed))
        return removed

    # Members and settings of a federation -----------------------------------------------------------
    def roles(self, federation: str) -> list[Role]:
        """Every role given in a federation, by person."""
        self.require(Operation.MEMBERS, federation)
        return sorted(_roles(self.store, ROLES.c.federation == federation), key=lambda r: (r.person, r.kind))

    def grant(self, person: str, kind: str, federation: str, centre_id: int | None = None) -> Role:
        """Give ``person`` a role. A member's centre must be a centre of that federation."""
        person = normalise_person(person)
        if kind not in ROLE_KINDS:
            raise Refused("bad_role", role=str(kind)[:40])
        federation = (federation or "").strip()
        if not federation:
            raise Refused("bad_federation")
        self.require(Operation.MEMBERS, federation)
        centre = None
        if kind == MEMBER:
            centre = self.store.centre(int(centre_id)) if centre_id is not None else None
            if centre is None or centre["federation"] != federation:
                raise Refused("unknown_centre")
        elif centre_id is not None:
            raise Refused("centre_for_member_only")
        return _grant(self, person, kind, federation, centre)

    def revoke(self, role_id: int) -> None:
        role = next((r for r in _roles(self.store, ROLES.c.id == int(role_id))), None)
        if role is None:
            raise Refused("unknown_role")
        self.require(Operation.MEMBERS, role.federation)
        if role.kind == ADMIN and [r.id for r in _roles(self.store, ROLES.c.federation == role.federation)
                                   if r.kind == ADMIN] == [role.id]:
            raise Refused("last_admin")  # a federation nobody could manage any more
        with self.store.engine.begin() as connection:
            connection.execute(ROLES.delete().where(ROLES.c.id == role.id))
            self.record("revoke", role.federation, role.centre, None, f"{role.person} {role.kind}", connection)
            _unbind_roleless(connection, {role.person})

    def set_analysts_see_names(self, federation: str, see: bool) -> None:
        self.require(Operation.MEMBERS, federation)
        with self.store.engine.begin() as connection:
            updated = connection.execute(FEDERATION_SETTINGS.update().where(FEDERATION_SETTINGS.c.federation == federation)
                                         .values(analysts_see_names=see)).rowcount
            if not updated:
                connection.execute(FEDERATION_SETTINGS.insert().values(federation=federation, analysts_see_names=see))
            self.record("setting", federation, None, None, f"analysts_see_names={see}", connection)
        self._settings = None  # read again at the next decision
        self._compared.clear()

    def administered(self) -> list[str]:
        """The federations whose members and audit log the user keeps."""
        if self.user.owner:
            return sorted({f for f in self.store.federations()} | {r.federation for r in _roles(self.store, sa.true())})
        return self.user.federations([ADMIN])

    # The audit log --------------------------------------------------------------------------------------
    def _audit(self, federation: str | None, limit: int | None = None) -> list[AuditEntry]:
        query = sa.select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
        if federation is not None:
            query = query.where(AUDIT.c.federation == federation)
        if limit is not None:
            query = query.limit(limit)
        with self.store.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [AuditEntry(r.at, r.person, r.action, r.federation, r.centre, r.version_id, r.detail) for r in rows]

    def audit(self, federation: str, limit: int | None = None) -> list[AuditEntry]:
        """The federation's audit log, newest first (the latest ``limit`` entries, or all)."""
        self.require(Operation.AUDIT, federation)
        return self._audit(federation, limit)


def _grant(access: "Access", person: str, kind: str, federation: str, centre: dict | None) -> Role:
    centre_id: int | None = centre["id"] if centre else None
    centre_name: str | None = centre["name"] if centre else None
    existing = [r for r in _roles(access.store, ROLES.c.person == person)
                if (r.kind, r.federation, r.centre_id) == (kind, federation, centre_id)]
    if existing:
        return existing[0]
    with access.store.engine.begin() as connection:
        inserted = connection.execute(ROLES.insert().values(
            person=person, kind=kind, federation=federation, centre_id=centre_id,
            granted_by=access.user.person, granted_at=dt.datetime.now(dt.timezone.utc))).inserted_primary_key
        role_id = inserted[0] if inserted else None
        access.record("grant", federation, centre_name, None, f"{person} {kind}", connection)
    return Role(kind, federation, centre_id, centre_name, role_id, person)


def first_admin(store: Store, person: str, federation: str) -> Role:
    """Name a federation's first admin, from the command line of whoever holds the database's
    credentials (the server's operator). Refused once the federation has an admin: from then
    on, its admins give roles (``Access.grant``)."""
    person = normalise_person(person)
    federation = (federation or "").strip()
    if not federation:
        raise Refused("bad_federation")
    if any(r.kind == ADMIN for r in _roles(store, ROLES.c.federation == federation)):
        raise Refused("has_admin", federation=federation)
    return _grant(Access(store, User("database", owner=True)), person, ADMIN, federation, None)


def _roles(store: Store, where) -> list[Role]:
    query = (sa.select(ROLES.c.id, ROLES.c.person, ROLES.c.kind, ROLES.c.federation, ROLES.c.centre_id,
                       CENTRES.c.name.label("centre"))
             .outerjoin(CENTRES, CENTRES.c.id == ROLES.c.centre_id).where(where)
             .order_by(ROLES.c.federation, ROLES.c.kind, ROLES.c.id))
    with store.engine.connect() as connection:
        return [Role(r.kind, r.federation, r.centre_id, r.centre, r.id, r.person) for r in connection.execute(query)]


def user_of(store: Store, identity: Identity) -> User:
    """A signed-in person with the roles the store holds for them now. The first account to
    sign in with an e-mail that holds a role is bound to it; another account claiming that
    e-mail later (another provider, an address given again) is refused (``identity_mismatch``)."""
    roles = tuple(_roles(store, ROLES.c.person == identity.person))
    if roles and identity.subject:
        _bind(store, identity)
    return User(identity.person, identity.name, roles)


def _unbind_roleless(connection, persons: set[str]) -> None:
    """Those of ``persons`` left with no role are no longer bound to an account: the next
    account to sign in with their e-mail, once given a role again, is bound anew."""
    if not persons:
        return
    kept = set(connection.execute(sa.select(ROLES.c.person).where(ROLES.c.person.in_(persons))).scalars())
    if persons - kept:
        connection.execute(IDENTITIES.delete().where(IDENTITIES.c.person.in_(persons - kept)))


def _bind(store: Store, identity: Identity) -> None:
    with store.engine.connect() as connection:
        bound = connection.execute(sa.select(IDENTITIES.c.issuer, IDENTITIES.c.subject)
                                   .where(IDENTITIES.c.person == identity.person)).first()
    if bound is None:
        try:
            with store.engine.begin() as connection:
                connection.execute(IDENTITIES.insert().values(
                    person=identity.person, issuer=identity.issuer[:500], subject=identity.subject[:300],
                    first_seen=dt.datetime.now(dt.timezone.utc)))
            return
        except sa.exc.IntegrityError:  # the same person's first sign-in on another process
            return _bind(store, identity)
    if (bound.issuer, bound.subject) != (identity.issuer[:500], identity.subject[:300]):
        raise Refused("identity_mismatch")


def audit_csv(entries: list[AuditEntry], lang: str = "fr") -> str:
    """The audit log as CSV (UTF-8, one line per entry). Cells that a spreadsheet would take
    for a formula are written as text (a leading apostrophe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([say(ACCESS, f"audit_{column}", lang) for column in
                     ("at", "person", "action", "federation", "centre", "version", "detail")])
    for e in entries:
        cells = [e.at.isoformat(timespec="seconds") if e.at else "", e.person, say(ACCESS, f"action_{e.action}", lang),
                 e.federation or "", e.centre or "", e.version_id or "", e.detail or ""]
        writer.writerow([_as_text(c) for c in cells])
    return buffer.getvalue()


def _as_text(cell: object) -> object:
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
