"""A federation's members, its settings and its audit log, kept by its admins (``Access``'s
part for roles)."""

from __future__ import annotations

import sqlalchemy as sa

from valuechain.access.audit import Action, AuditEntry, read_entries
from valuechain.access.base import AccessBase
from valuechain.access.people import grant_role, normalise_person, roles_where
from valuechain.access.policy import ADMIN, MEMBER, ROLE_KINDS, Operation, Role
from valuechain.errors import Refused
from valuechain.store.schema import FEDERATION_SETTINGS, ROLES


class MembersPart(AccessBase):
    # Roles and settings -----------------------------------------------------------
    def roles(self, federation: str) -> list[Role]:
        """Every role given in a federation, by person."""
        self.require(Operation.MEMBERS, federation)
        return sorted(roles_where(self.store, ROLES.c.federation == federation), key=lambda r: (r.person, r.kind))

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
        return grant_role(self.store, self.user.person, person, kind, federation, centre)

    def revoke(self, role_id: int) -> None:
        role = next((r for r in roles_where(self.store, ROLES.c.id == int(role_id))), None)
        if role is None:
            raise Refused("unknown_role")
        self.require(Operation.MEMBERS, role.federation)
        if role.kind == ADMIN and [
            r.id for r in roles_where(self.store, ROLES.c.federation == role.federation) if r.kind == ADMIN
        ] == [role.id]:
            raise Refused("last_admin")  # a federation nobody could manage any more
        with self.store.engine.begin() as connection:
            connection.execute(ROLES.delete().where(ROLES.c.id == role.id))
            self.record(Action.REVOKE, role.federation, role.centre, None, f"{role.person} {role.kind}", connection)

    def set_analysts_see_names(self, federation: str, see: bool) -> None:
        self.require(Operation.MEMBERS, federation)
        with self.store.engine.begin() as connection:
            updated = connection.execute(
                FEDERATION_SETTINGS.update()
                .where(FEDERATION_SETTINGS.c.federation == federation)
                .values(analysts_see_names=see)
            ).rowcount
            if not updated:
                connection.execute(FEDERATION_SETTINGS.insert().values(federation=federation, analysts_see_names=see))
            self.record(Action.SETTING, federation, None, None, f"analysts_see_names={see}", connection)
        self._settings = None  # read again at the next decision
        self._compared.clear()

    def administered(self) -> list[str]:
        """The federations whose members and audit log the user keeps."""
        if self.user.owner:
            return sorted(
                {f for f in self.store.federations()} | {r.federation for r in roles_where(self.store, sa.true())}
            )
        return self.user.federations([ADMIN])

    # The audit log --------------------------------------------------------------------------------------
    def audit(self, federation: str, limit: int | None = None) -> list[AuditEntry]:
        """The federation's audit log, newest first (the latest ``limit`` entries, or all)."""
        self.require(Operation.AUDIT, federation)
        return read_entries(self.store, federation, limit)
