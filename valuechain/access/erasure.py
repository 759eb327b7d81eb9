"""A centre whole, for the GDPR's rights of access and erasure: everything kept about it in one
zip, or all of it erased for good (``Access``'s part for a centre's data)."""

from __future__ import annotations

import io
import json
import os
import zipfile

import sqlalchemy as sa

from valuechain.access import audit
from valuechain.access.base import AccessBase
from valuechain.access.people import forget_roleless, roles_where
from valuechain.access.policy import Operation
from valuechain.errors import Refused
from valuechain.store.drafts import Drafts
from valuechain.store.schema import AUDIT, ROLES
from valuechain.workshop.workshops import Workshops


def erased_label(centre_id: int) -> str:
    """What the audit log says of a centre once erased: its number, never its name."""
    return f"#{centre_id} (effacé / erased)"


class ErasurePart(AccessBase):
    def centres(self, operation: Operation = Operation.CENTRE_EXPORT, federation: str | None = None) -> list[dict]:
        """The centres the user may do ``operation`` on: every one, or ``federation``'s."""
        return [
            c
            for c in self.store.centres()
            if (federation is None or c["federation"] == federation)
            and self.decide(operation, c["federation"], c["id"]).allowed
        ]

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
        centre = self._centre(centre_id, Operation.CENTRE_EXPORT)
        archive = self.store.centre_archive(centre["id"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            members = [r.__dict__ for r in roles_where(self.store, ROLES.c.centre_id == centre["id"])]
            summary = {"centre": archive["centre"], "members": members, "versions": []}
            for version in archive["versions"]:
                stem = f"versions/{version['id']}"
                out.writestr(f"{stem}/{os.path.basename(version['file_name']) or 'original'}", version["file_data"])
                out.writestr(
                    f"{stem}/tables.json", json.dumps(version["raw"], ensure_ascii=False, indent=1, default=str)
                )
                out.writestr(
                    f"{stem}/figures.json", json.dumps(version["figures"], ensure_ascii=False, indent=1, default=str)
                )
                summary["versions"].append(
                    {k: v for k, v in version.items() if k not in ("file_data", "raw", "figures", "problems")}
                )
            for workshop in Workshops(self.store).centre_archive(
                archive["centre"]["key"], [v["id"] for v in archive["versions"]]
            ):
                out.writestr(
                    f"ateliers/{workshop['id']}.json", json.dumps(workshop, ensure_ascii=False, indent=1, default=str)
                )
                summary.setdefault("workshops", []).append(workshop["id"])
            out.writestr("centre.json", json.dumps(summary, ensure_ascii=False, indent=1, default=str))
            # Its lines by its id, whatever it was called then, in whichever federation's log
            # they were written (a workshop's opening is in none).
            entries = [e for e in audit.read_entries(self.store, None) if e.centre_id == centre["id"]]
            out.writestr("audit.csv", audit.audit_csv(entries))
        self.record(audit.Action.CENTRE_EXPORT, centre["federation"], centre["name"])
        return buffer.getvalue()

    def erase_centre(self, centre_id: int) -> int:
        """Erase a centre for good: its versions, its workshops (the workbooks they started
        from, their journals and proposals), everyone's drafts of it, and its name in the audit
        log, which keeps who did what under the centre's number only. Returns the versions removed."""
        centre = self._centre(centre_id, Operation.ERASE)
        label = erased_label(centre["id"])

        def also(connection, key: str, version_ids: list[int]) -> None:
            Workshops.erase_centre(connection, key, version_ids)
            Drafts.erase_centre(connection, centre["id"], key, version_ids)
            # Its lines by its id, whatever name they were written under.
            about = (AUDIT.c.centre_id == centre["id"]) | (AUDIT.c.centre == centre["name"])
            if version_ids:
                about = about | AUDIT.c.version_id.in_(version_ids)
            # The file names in ``detail`` carry the centre's name, and so may an import's refusal.
            connection.execute(AUDIT.update().where(about).values(centre=label, detail=None))
            # Its members' roles go with it, and those left with no role are forgotten (their
            # e-mail's binding to an account, their sign-outs): the erasure's, not a revocation's.
            on_it = ROLES.c.centre_id == centre["id"]
            members = set(connection.execute(sa.select(ROLES.c.person).where(on_it)).scalars())
            connection.execute(ROLES.delete().where(on_it))
            forget_roleless(connection, members)

        self._compared.clear()
        removed = self.store.erase_centre(centre["id"], also=also)
        self.record(audit.Action.ERASE, centre["federation"], label, None, str(removed))
        return removed
