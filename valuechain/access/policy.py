"""Who may see or change which centre, on a deployment several people share.

One rule, ``authorise(user, operation, centre)``, decides every operation on the store; the
pages and the command line never filter by themselves: they call ``Access`` (``access.service``),
whose every method asks ``authorise`` first and writes what it did to the audit log.

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

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

ADMIN, ANALYST, MEMBER = "admin", "analyst", "member"
ROLE_KINDS = (ADMIN, ANALYST, MEMBER)
OWNER = "local"  # who the audit log names for the owner of a local store


class Operation(str, Enum):
    LIST = "list"  # a centre's versions: dates, file names
    OPEN = "open"  # a version's workbook in the dashboard
    ORIGINAL = "original"  # the file as imported
    FIGURES = "figures"  # a centre's figures under its name, year after year
    COMPARE = "compare"  # a centre's figures beside others' (named or not: ``Decision.named``)
    IMPORT = "import"
    DELETE = "delete"
    EXPORT = "export"  # a file made from a version (PDF, workbook, map…)
    RESTORE = "restore"  # a deleted version back
    ERASE = "erase"  # a centre erased whole, for good (GDPR)
    CENTRE_EXPORT = "centre_export"  # everything kept about a centre (GDPR)
    MEMBERS = "members"  # roles given and taken in a federation, its settings
    AUDIT = "audit"  # the federation's audit log
    DISTRIBUTION = "distribution"  # a federation's figures as quartiles, no centre's row (benchmarks)


# What each role may do on a centre of its reach: one table, read by ``authorise``.
MEMBER_OWN = {
    Operation.LIST,
    Operation.OPEN,
    Operation.ORIGINAL,
    Operation.FIGURES,
    Operation.COMPARE,
    Operation.IMPORT,
    Operation.EXPORT,
}
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
        return self.owner or any(
            r.kind == ADMIN and (federation is None or r.federation == federation) for r in self.roles
        )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    named: bool = False  # the centre's name (and what would name it) may be shown
    reason: str = ""  # the refusal's catalogue key (``access_refusal``)


REFUSED_NO_ROLE = Decision(False, reason="no_role")


def authorise(
    user: User,
    operation: Operation,
    federation: str | None,
    centre_id: int | None = None,
    analysts_see_names: bool = False,
) -> Decision:
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
