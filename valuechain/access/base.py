"""What every part of ``Access`` stands on: the store, the person, and the questions asked
before anything is done (``decide``, ``require``: the one rule, ``policy.authorise``, with what
the store knows), and the audit log's pen (``record``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from valuechain.access import audit
from valuechain.access.policy import Decision, Operation, User, authorise
from valuechain.errors import Refused
from valuechain.store.db import Store, Version
from valuechain.store.schema import AUDIT, FEDERATION_SETTINGS

# How often the same read of a centre (the same person, centre and detail) is written to the log.
READ_LOGGED_EVERY = dt.timedelta(minutes=30)


@dataclass
class AccessBase:
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
                self._settings = {
                    row.federation: bool(row.analysts_see_names)
                    for row in connection.execute(
                        sa.select(FEDERATION_SETTINGS.c.federation, FEDERATION_SETTINGS.c.analysts_see_names)
                    )
                }
        return self._settings.get(federation, False)

    def decide(self, operation: Operation, federation: str | None, centre_id: int | None = None) -> Decision:
        return authorise(self.user, operation, federation, centre_id, self.analysts_see_names(federation))

    def require(
        self,
        operation: Operation,
        federation: str | None,
        centre_id: int | None = None,
        centre: str | None = None,
        version_id: int | None = None,
    ) -> Decision:
        decision = self.decide(operation, federation, centre_id)
        if not decision.allowed:
            # A refusal is traced too: someone trying another centre's version is worth knowing.
            self.record(
                audit.Action.REFUSED, federation, centre if decision.named else None, version_id, operation.value
            )
            raise Refused(decision.reason)
        return decision

    def _version(self, version_id: int | str, operation: Operation, deleted: bool = False) -> Version:
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

    def _current_figures(self, version_ids: list[int]) -> list[dict]:
        """The figures of these versions, each computed by today's definitions, in the order
        given: those kept by older definitions are computed again and stored first (the store's
        reads only read; ``recompute`` is the write, said here), so that nothing shown year
        beside year mixes definitions."""
        self.store.recompute(version_ids)
        return self.store.figures(version_ids)

    def _refused_unknown(self, detail: str) -> None:
        """A refusal about something that does not exist, logged under each of the person's
        federations, so that their admins see who tries numbers or names."""
        federations: list[str | None] = [*self.user.federations()] or [None]
        for federation in federations:
            self.record(audit.Action.REFUSED, federation, None, None, detail)

    def record_read(self, federation: str | None, centre: str | None, detail: str) -> None:
        """A line of the log for what a person was shown of a centre's stored content (its years,
        its figures under its name), written once per ``READ_LOGGED_EVERY``: a page shows it
        again at every click, and the log would be that page's clicks."""
        since = dt.datetime.now(dt.timezone.utc) - READ_LOGGED_EVERY
        with self.store.engine.connect() as connection:
            already = connection.execute(
                sa.select(AUDIT.c.id)
                .where(
                    AUDIT.c.person == self.user.person,
                    AUDIT.c.action == audit.Action.READ.value,
                    AUDIT.c.federation.is_(None) if federation is None else AUDIT.c.federation == federation,
                    AUDIT.c.centre.is_(None) if centre is None else AUDIT.c.centre == centre,
                    AUDIT.c.detail == detail[:500],
                    AUDIT.c.at >= since,
                )
                .limit(1)
            ).first()
        if already is None:
            self.record(audit.Action.READ, federation, centre, None, detail)

    def record(
        self,
        action: audit.Action,
        federation: str | None = None,
        centre: str | None = None,
        version_id: int | None = None,
        detail: str | None = None,
        connection=None,
    ) -> None:
        """A line of the audit log: in ``connection``'s transaction when given, else on its own."""
        if connection is not None:
            audit.write(connection, self.user.person, action, federation, centre, version_id, detail)
            return
        with self.store.engine.begin() as writing:
            audit.write(writing, self.user.person, action, federation, centre, version_id, detail)
