"""The room: who is a participant and who holds the facilitator's key, the address and QR code
phones join by, the phones' keys, and joining with the workshop's code within the room's
limits (participants, participants from one address, wrong codes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import socket

import sqlalchemy as sa

from valuechain.errors import WorkshopError
from valuechain.store.schema import PARTICIPANTS
from valuechain.workshop.base import Workshop, WorkshopsBase, utc_now

_LOG = logging.getLogger(__name__)

# Phones one workshop takes, and one address may bring (a room's Wi-Fi gives each phone its own
# address; behind a reverse proxy that sends no X-Forwarded-For, every phone has the proxy's).
PARTICIPANTS_LIMIT = 300
PARTICIPANTS_PER_ADDRESS = 100
# Wrong codes one address may try in a minute before it is told to wait (each try is logged):
# six characters of 31 are 887 million codes, out of reach at this pace.
FAILED_JOINS_PER_MINUTE = 10

# How often the wall and the queue look for news (seconds): an accepted proposal is on the wall
# within this plus the time to draw it.
POLL_SECONDS = 1.0

FACILITATOR_KEY_VARIABLE = "VALUECHAIN_FACILITATOR_KEY"

# What new_token() makes, and nothing else: a key read back from a cookie or an address.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


# Who is who in the room ----------------------------------------------------------------------------
def room_mode() -> bool:
    """Whether the app serves a room (``make workshop``, ``VALUECHAIN_ROOM=1``): then every
    visitor from another machine is a participant."""
    return os.environ.get("VALUECHAIN_ROOM", "").strip().lower() in ("1", "true", "yes", "oui")


def new_facilitator_key() -> str:
    return secrets.token_urlsafe(12)


def holds_facilitator_key(given: str | None) -> bool:
    """Whether ``given`` is the room's facilitator key (``VALUECHAIN_FACILITATOR_KEY``, made by
    ``make workshop`` and printed on its console). Without a key set, nobody holds it: every
    visitor of the room is a participant."""
    key = os.environ.get(FACILITATOR_KEY_VARIABLE, "")
    return bool(key) and bool(given) and secrets.compare_digest(str(given).encode(), key.encode())


def is_participant(room: bool, holds_key: bool) -> bool:
    """A visitor is a participant (the form and the public wall, nothing else) when the app
    serves a room and the visitor does not hold the facilitator's key. Never the address: behind
    a reverse proxy every phone comes from the proxy's, and one machine may be shared."""
    return room and not holds_key


# How phones join -----------------------------------------------------------------------------------
def room_address(port: int) -> str:
    """The address to give the room: ``VALUECHAIN_ROOM_ADDRESS`` if set, else this machine's
    address on the local network (the one its default route uses; no packet is sent)."""
    configured = os.environ.get("VALUECHAIN_ROOM_ADDRESS")
    if configured:
        return configured.rstrip("/")
    host = "127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: connect() on UDP sends nothing
            host = probe.getsockname()[0]
        except OSError:
            pass
    return f"http://{host}:{port}"


def join_qr_png(address: str, scale: int = 10) -> bytes:
    """The join address as a QR code (PNG), made here by segno: no service is asked."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


# A phone's key ---------------------------------------------------------------------------------------
def new_token() -> str:
    """A participant's key, kept in the phone's address bar: a refresh keeps the same number."""
    return secrets.token_urlsafe(12)


def is_token(value: object) -> bool:
    """Whether ``value`` has the shape of a key ``new_token`` makes (nothing else is kept in a
    phone's cookie, nor taken from one)."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def token_cookie(code: str) -> str | None:
    """The name of the cookie a phone keeps its key in for the workshop ``code`` (the join
    address opened again is the same participant); none for what cannot be a code."""
    return f"valuechain_p_{code}" if re.fullmatch(r"[A-Z0-9]{1,12}", code) else None


def token_hash(token: str) -> str:
    """What the store keeps of a phone's key: its digest, never the key."""
    return hashlib.sha256(token.encode()).hexdigest()


class RoomPart(WorkshopsBase):
    """Phones joining a workshop, numbered, never named."""

    def join(
        self, code: str | None, token: str, now: dt.datetime | None = None, address: str | None = None
    ) -> tuple[Workshop, int]:
        """A phone joins with the workshop's code: the workshop and the participant's number.
        ``address`` is the phone's, when known: wrong codes from it are counted and logged, and
        it may bring only so many participants."""
        moment = now or utc_now()
        self._check_tries(address, moment)
        workshop = self.by_code(code)
        if workshop is None:
            self._failed_join(address, code, moment)
            raise WorkshopError("unknown_code")
        if not workshop.is_open:
            raise WorkshopError("workshop_closed")
        digest = token_hash(token)
        with self.engine.begin() as connection:
            known = self._participant_id(connection, workshop.id, digest)
            if known is None:
                count = (
                    connection.execute(
                        sa.select(sa.func.count())
                        .select_from(PARTICIPANTS)
                        .where(PARTICIPANTS.c.workshop_id == workshop.id)
                    ).scalar()
                    or 0
                )
                if count >= PARTICIPANTS_LIMIT:
                    raise WorkshopError("room_full", limit=PARTICIPANTS_LIMIT)
                with self._lock:
                    from_address = self._by_address.setdefault((workshop.id, address), set())
                    if (
                        address is not None
                        and digest not in from_address
                        and len(from_address) >= PARTICIPANTS_PER_ADDRESS
                    ):
                        raise WorkshopError("room_full", limit=PARTICIPANTS_PER_ADDRESS)
                    from_address.add(digest)
                try:
                    with connection.begin_nested():
                        connection.execute(
                            PARTICIPANTS.insert().values(workshop_id=workshop.id, token_sha256=digest, joined_at=moment)
                        )
                except sa.exc.IntegrityError:
                    pass  # joined at the same instant from another tab: the same number
        return workshop, self._participant_number(workshop.id, digest)

    def _check_tries(self, address: str | None, moment: dt.datetime) -> None:
        if address is None:
            return
        with self._lock:
            recent = [t for t in self._failed.get(address, []) if moment - t < dt.timedelta(minutes=1)]
            self._failed[address] = recent
        if len(recent) >= FAILED_JOINS_PER_MINUTE:
            raise WorkshopError("too_many_tries", limit=FAILED_JOINS_PER_MINUTE)

    def _failed_join(self, address: str | None, code: str | None, moment: dt.datetime) -> None:
        """A wrong code: logged (someone guessing codes shows in the server's log), and counted
        against its address."""
        _LOG.warning("workshop join refused: unknown code %r from %s", str(code or "")[:20], address or "?")
        if address is not None:
            with self._lock:
                self._failed.setdefault(address, []).append(moment)

    def _participant_id(self, connection, workshop_id: int, digest: str) -> int | None:
        return connection.execute(
            sa.select(PARTICIPANTS.c.id).where(
                PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.token_sha256 == digest
            )
        ).scalar()

    def _participant_number(self, workshop_id: int, digest: str) -> int:
        with self.engine.connect() as connection:
            own = self._participant_id(connection, workshop_id, digest)
            return (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(PARTICIPANTS)
                    .where(PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.id <= own)
                ).scalar()
                or 0
            )
