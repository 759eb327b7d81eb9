"""A centre's versions as the user may see and change them: list, open, download, export,
delete and restore (``Access``'s part for versions)."""

from __future__ import annotations

from valuechain.access.audit import Action
from valuechain.access.base import AccessBase
from valuechain.access.policy import Operation
from valuechain.errors import Refused
from valuechain.store.db import Version


class VersionsPart(AccessBase):
    def versions(self, centre: str | None = None) -> list[Version]:
        """The versions the user may list (a centre's dates and file names)."""
        return [
            v
            for v in self.store.versions(centre=centre)
            if self.decide(Operation.LIST, v.federation, v.centre_id).allowed
        ]

    def version(self, version_id: int) -> Version:
        """One version's dates and file name, for whoever may list its centre's versions."""
        return self._version(version_id, Operation.LIST)

    def open(self, version_id: int | str):
        """A version's files as imported, to show in the whole dashboard (``version_id`` as a
        link's address gives it, too: text that names no version is refused and logged)."""
        version = self._version(version_id, Operation.OPEN)
        files = self.store.original_files(version.id)
        self.record(Action.OPEN, version.federation, version.centre, version.id)
        return files

    def original_file(self, version_id: int) -> tuple[str, bytes]:
        """A version's file as imported, to download."""
        version = self._version(version_id, Operation.ORIGINAL)
        found = self.store.original_file(version.id)
        self.record(Action.ORIGINAL, version.federation, version.centre, version.id, version.file_name)
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
        """Say that a file is given now (every download of the dashboard, asked when clicked:
        ``widgets.download_button``), or ``Refused``, the refusal in the log. Made from a stored
        version: whoever may export it, the file in the log. Made from no stored version (the
        session's own workbook, a template) or by a method that asks by itself (a version's
        original file, a comparison): whoever may still use the store."""
        if version_id is None:
            if not self.user.has_role:
                self._refused_unknown(f"{Operation.EXPORT.value} {what}")
                raise Refused("participant" if self.user.participant else "no_role")
            return
        version = self._version(version_id, Operation.EXPORT)
        self.record(Action.EXPORT, version.federation, version.centre, version.id, what)

    # Deleting and restoring ----------------------------------------------------------------------
    def delete(self, version_id: int) -> None:
        self.purge()
        version = self._version(version_id, Operation.DELETE)
        self._compared.clear()
        self.store.delete(version.id, by=self.user.person)
        self.record(Action.DELETE, version.federation, version.centre, version.id, version.file_name)

    def purge(self) -> None:
        """Remove for good what was deleted more than 30 days ago, each removal in the log.
        Done before any look at deleted versions: what is past its time is never restored."""
        for version in self.store.purge():
            self.record(Action.PURGE, version.federation, version.centre, version.id, version.file_name)

    def deleted(self, federation: str | None = None) -> list[Version]:
        """The hidden versions the user may restore: every one, or ``federation``'s."""
        self.purge()
        return [
            v
            for v in self.store.deleted_versions()
            if (federation is None or v.federation == federation)
            and self.decide(Operation.RESTORE, v.federation, v.centre_id).allowed
        ]

    def originals(self) -> list[Version]:
        """The versions whose file as imported the user may download."""
        return [v for v in self.versions() if self.decide(Operation.ORIGINAL, v.federation, v.centre_id).allowed]

    def restore(self, version_id: int) -> None:
        self.purge()
        version = self._version(version_id, Operation.RESTORE, deleted=True)
        self._compared.clear()
        self.store.restore(version.id)
        self.record(Action.RESTORE, version.federation, version.centre, version.id, version.file_name)
