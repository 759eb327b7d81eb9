"""Workbooks coming into the store: an import, and a workshop, whose closing keeps a version
(``Access``'s part for imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from valuechain.access.audit import Action
from valuechain.access.base import AccessBase
from valuechain.access.policy import ADMIN, MEMBER, Operation
from valuechain.errors import Refused
from valuechain.store.db import Version

if TYPE_CHECKING:
    from valuechain.model import RawWorkbook
    from valuechain.workshop.base import Workshop
    from valuechain.workshop.workshops import Workshops


class ImportsPart(AccessBase):
    def may_import(self) -> bool:
        """Whether the user imports workbooks at all: the owner, an admin or a member (into
        the federation their role gives)."""
        return self.user.owner or bool(self.user.federations([ADMIN, MEMBER]))

    def import_files(
        self,
        files,
        batch: str | None = None,
        limits=None,
        now=None,
        again: bool = False,
        guarded: bool = False,
        federation: str | None = None,
        move: bool = False,
    ) -> Version:
        """Import a workbook for a centre the user may import into. For a person, the centre's
        federation is the one their role gives, whatever the workbook says: nobody moves a
        centre into a federation they do not belong to. The owner's ``federation`` for a centre
        already kept in another one moves it, with all its versions, only when ``move``; else
        it is refused, naming both federations."""

        def check(workbook) -> str | None:
            return self._import_target(workbook.centre.name, federation, move)

        version = self.store.import_files(
            files, batch=batch, limits=limits, now=now, again=again, guarded=guarded, check=check
        )
        self._compared.clear()
        self.record(Action.IMPORT, version.federation, version.centre, version.id, version.file_name)
        return version

    def _import_target(self, centre_name: str, federation: str | None = None, move: bool = False) -> str | None:
        """The federation a workbook of ``centre_name`` is kept in when this user imports it,
        or ``Refused`` (before anything is written)."""
        if self.user.owner:
            known = self.store.centre_of_key(centre_name) if federation and not move else None
            if known is not None and known["federation"] and known["federation"] != federation:
                # Moving a centre takes its past versions along: asked for by name, never by a tag.
                raise Refused(
                    "centre_in_other_federation", centre=known["name"], federation=known["federation"], asked=federation
                )
            return federation
        known = self.store.centre_of_key(centre_name)
        if known is not None:
            self.require(Operation.IMPORT, known["federation"], known["id"], known["name"])
            return known["federation"]
        # A new centre: an admin's, in the federation they chose (or their only one).
        admin_of = self.user.federations([ADMIN])
        target = federation if federation in admin_of else (admin_of[0] if len(admin_of) == 1 else None)
        if target is None:
            self.record(Action.REFUSED, None, None, None, "import new centre")
            raise Refused("choose_federation" if admin_of else "new_centre")
        return target

    def open_workshop(
        self, workshops: Workshops, raw: RawWorkbook, centre_name: str, source: str, by: str | None
    ) -> Workshop:
        """Open a workshop on a centre's workbook: only for someone who may import into that
        centre, since closing it keeps a version there. A person whose role was taken away, or
        whose centre was erased, opens none, whatever their session still shows."""
        self._import_target(centre_name)
        workshop = workshops.open(raw, centre_name, source=source, by=by)
        self.record(Action.WORKSHOP_OPEN, None, centre_name, None, workshop.code)
        return workshop

    def resumed_workshop(self, workshops: Workshops, code: str, by: str | None) -> Workshop | None:
        """The open workshop ``code`` as its facilitator may still run it: on a shared server
        only the person who opened it (``by``), and only while they may import into its centre,
        the right that opened it. A role taken away ends it at the next click, as it ends a
        stored version; ``None`` then, and for a closed or unknown workshop."""
        workshop = workshops.by_code(code)
        if workshop is None or not workshop.is_open:
            return None
        if self.user.owner:
            return workshop
        if workshop.opened_by != by:
            return None
        try:
            self._import_target(workshop.centre_name)
        except Refused:
            return None
        return workshop

    def exported_from_workshop(self, workshops: Workshops, code: str, by: str | None, what: str) -> None:
        """A file made from a workshop's state, asked at its click: refused (and logged) unless
        the person may still run that workshop (``resumed_workshop``)."""
        if self.resumed_workshop(workshops, code, by) is None:
            self.record(Action.REFUSED, None, None, None, f"export {what} (workshop {code})")
            raise Refused("not_yours")
