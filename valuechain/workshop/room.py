"""The room: who is a participant and who holds the facilitator's key, the address and QR code
phones join by, the phones' keys, and joining with the workshop's code within the room's limits.

The limits live in the store, so that every process of a server holds them alike, and they hold
for phones whose address cannot be told apart (behind a reverse proxy on this machine, every
phone comes from 127.0.0.1): wrong codes and wrong keys are counted per minute for one address,
for all the addresses that cannot be told apart, and for everyone (which bounds what is kept);
a participant who never proposed leaves after ``PARTICIPANT_IDLE`` and the facilitator may
evict anyone; a workshop idle for ``WORKSHOP_IDLE`` takes no phone until its facilitator comes
back."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import WorkshopError
from valuechain.store.schema import PARTICIPANTS, PROPOSALS, ROOM_TRIES, WORKSHOPS
from valuechain.workshop.base import Workshop, aware, utc_now
from valuechain.workshop.closing import ClosingPart

_LOG = logging.getLogger(__name__)

# Phones one workshop takes, and one address may bring (a room's Wi-Fi gives each phone its own
# address; behind a reverse proxy on this machine, every phone has the proxy's, and only the
# first limit holds).
PARTICIPANTS_LIMIT = 300
PARTICIPANTS_PER_ADDRESS = 100
# A phone that opened the form and never proposed keeps its place this long after it was last
# seen: a flood of form openers does not keep real phones out.
PARTICIPANT_IDLE = dt.timedelta(minutes=10)
# A workshop with no change, no proposal and no visit of its facilitator for this long takes no
# phone any more: its code is no longer one to guess. The facilitator's page opens it again.
WORKSHOP_IDLE = dt.timedelta(hours=12)
# Wrong codes one address may try in a minute before it is told to wait (each try is logged):
# six characters of 31 are 887 million codes, out of reach at this pace.
FAILED_JOINS_PER_MINUTE = 10


@dataclass(frozen=True)
class TryLimits:
    """Wrong tries allowed in a minute: from one address, from all those that cannot be told
    apart (none, or this machine's: a reverse proxy's), and from everyone together."""

    per_address: int
    unknown_addresses: int
    everyone: int


CODE_TRIES = TryLimits(per_address=FAILED_JOINS_PER_MINUTE, unknown_addresses=30, everyone=300)
KEY_TRIES = TryLimits(per_address=5, unknown_addresses=5, everyone=20)
# New phones let into one workshop in a minute: from one address, from all those that cannot be
# told apart (as one address: a script that drops its connection before its page has run has
# none, and must gain nothing by it), and in all ("everyone" is per workshop here). A room's
# first minute, every phone scanning the QR code at once, fits; one person making phones by the
# hundred fills the room ten times slower than before, at most ``PARTICIPANTS_PER_ADDRESS``
# from one address, and the facilitator frees their places in one click (``release_unaccepted``).
JOINS = TryLimits(per_address=30, unknown_addresses=30, everyone=60)
_TRIES = {"code": CODE_TRIES, "key": KEY_TRIES, "join": JOINS}

# How often the wall and the queue look for news (seconds): an accepted proposal is on the wall
# within this plus the time to draw it.
POLL_SECONDS = 1.0

# What a database that stopped, or restarts, raises: a phone is told so in our words, and keeps
# its form to send again.
STORE_DOWN = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)

FACILITATOR_KEY_VARIABLE = "VALUECHAIN_FACILITATOR_KEY"
# A fixed key (VALUECHAIN_FACILITATOR_KEY) shorter, or plainer, is no key: nobody holds it.
KEY_MIN_LENGTH = 16
# The cookie a facilitator's browser keeps its pass in (not the key: a value made from it).
FACILITATOR_PASS_COOKIE = "valuechain_animateur"

# What new_token() makes, and nothing else: a key read back from a cookie or an address.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


# Who is who in the room ----------------------------------------------------------------------------
def room_mode() -> bool:
    """Whether the app serves a room (``make workshop``, ``VALUECHAIN_ROOM=1``): then every
    visitor from another machine is a participant."""
    return os.environ.get("VALUECHAIN_ROOM", "").strip().lower() in ("1", "true", "yes", "oui")


def weak_key(key: str) -> bool:
    """Whether a facilitator's key is too weak to keep: fewer than ``KEY_MIN_LENGTH`` characters,
    fewer than half as many different ones, or of one kind only (letters, digits, signs). The
    docs' old example, "ma-cle", is one."""
    kinds = {"letter" if ch.isalpha() else "digit" if ch.isdigit() else "sign" for ch in key}
    return len(key) < KEY_MIN_LENGTH or len(set(key)) < KEY_MIN_LENGTH // 2 or len(kinds) < 2


def new_facilitator_key() -> str:
    key = secrets.token_urlsafe(12)
    while weak_key(key):  # letters only, now and then
        key = secrets.token_urlsafe(12)
    return key


def facilitator_key() -> str | None:
    """The room's facilitator key (``VALUECHAIN_FACILITATOR_KEY``, made by ``make workshop`` and
    printed on its console), or None: none set, or one too weak to keep (said in the log)."""
    key = os.environ.get(FACILITATOR_KEY_VARIABLE, "")
    if key and weak_key(key):
        _LOG.error(
            "%s is too weak (at least %d characters, %d different, of two kinds): nobody is facilitator",
            FACILITATOR_KEY_VARIABLE,
            KEY_MIN_LENGTH,
            KEY_MIN_LENGTH // 2,
        )
        return None
    return key or None


def holds_facilitator_key(given: str | None) -> bool:
    """Whether ``given`` is the room's facilitator key. Without a key (none set, or too weak),
    nobody holds it: every visitor of the room is a participant."""
    key = facilitator_key()
    return key is not None and bool(given) and secrets.compare_digest(str(given).encode(), key.encode())


def facilitator_pass() -> str | None:
    """What the facilitator's browser keeps (its cookie) once it gave the key: a value made from
    the key, never the key, and void when the key changes."""
    key = facilitator_key()
    return None if key is None else hmac.new(key.encode(), b"valuechain facilitator pass", "sha256").hexdigest()


def holds_facilitator_pass(given: str | None) -> bool:
    made = facilitator_pass()
    return made is not None and bool(given) and secrets.compare_digest(str(given).encode(), made.encode())


def usable_address(address: str | None) -> bool:
    """Whether a visitor's address tells phones apart: not none, not this machine's (a reverse
    proxy on this machine gives every phone its own address: 127.0.0.1)."""
    try:
        parsed = ipaddress.ip_address(str(address))
    except ValueError:
        return False
    return not (parsed.is_loopback or parsed.is_unspecified)


# The reverse proxies whose word is taken for a visitor's address (``X-Real-IP``, else the last
# address of ``X-Forwarded-For`` that is not one of them): addresses or networks, separated by
# commas. Unset: this machine's (nginx on the same machine, as docs/deploiement.md sets it up);
# "none": no proxy is trusted. A visitor that does not come from one of them is taken at its
# own address, whatever headers it sends.
TRUSTED_PROXIES_VARIABLE = "VALUECHAIN_TRUSTED_PROXIES"
_LOCAL_PROXIES = "127.0.0.1, ::1"


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The proxies ``VALUECHAIN_TRUSTED_PROXIES`` names (this machine's when unset); a value
    that is no address is left out, said in the log."""
    value = os.environ.get(TRUSTED_PROXIES_VARIABLE)
    value = _LOCAL_PROXIES if value is None else value
    networks = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part or part.lower() in ("none", "aucun"):
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            _LOG.error("%s: %r is no address or network, left out", TRUSTED_PROXIES_VARIABLE, part[:60])
    return networks


def _ip(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None


def client_address(peer: str | None, headers: Mapping[str, str] | None = None) -> str | None:
    """The address of the visitor behind ``peer``, the address its connection comes from
    (Streamlit's ``st.context.ip_address``: None for this machine). When ``peer`` is a trusted
    proxy (``trusted_proxies``), the proxy's word: ``X-Real-IP``, else the last address of
    ``X-Forwarded-For`` that is not a trusted proxy (the ones before it are the visitor's own
    say, and anyone can write them). Otherwise ``peer`` as it is: a phone that writes those
    headers itself, not through the proxy, changes nothing."""
    hop = _ip(peer if peer is not None else "127.0.0.1")
    trusted = trusted_proxies()
    if hop is None or not any(hop in network for network in trusted):
        return peer
    named = {str(key).lower(): str(value) for key, value in (headers or {}).items()}
    real = _ip(named.get("x-real-ip", ""))
    if real is not None:
        return str(real)
    for entry in reversed(named.get("x-forwarded-for", "").split(",")):
        address = _ip(entry)
        if address is None:
            break  # what a proxy would not write: the visitor's own, not to be taken
        if not any(address in network for network in trusted):
            return str(address)
    return peer


def _address_digest(address: str | None) -> str | None:
    """What the store keeps of a usable address: its digest."""
    return hashlib.sha256(str(address).encode()).hexdigest()[:40] if usable_address(address) else None


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


class RoomPart(ClosingPart):
    """Phones joining a workshop, numbered, never named, within the room's limits; the
    facilitator's key, tried within limits too."""

    # Joining ----------------------------------------------------------------------------------------
    def join(
        self, code: str | None, token: str, now: dt.datetime | None = None, address: str | None = None
    ) -> tuple[Workshop, int]:
        """A phone joins with the workshop's code: the workshop and the participant's number.
        ``address`` is the phone's, when known: wrong codes from it are counted and logged, and
        it may bring only so many participants. A phone already in the room is never held up
        by someone guessing codes from the same address."""
        moment = now or utc_now()
        digest = token_hash(token)
        workshop = self.by_code(code)
        if workshop is not None and workshop.status == "closing" and self.recover_interrupted(moment):
            workshop = self.get(workshop.id)
        known = None if workshop is None else self._participant(workshop.id, digest)
        if known is None:
            self._check_tries("code", address, moment)
            if workshop is None:
                _LOG.warning("workshop join refused: unknown code %r from %s", str(code or "")[:20], address or "?")
                self._count_try("code", address, moment)
                raise WorkshopError("unknown_code")
        elif known.evicted:
            raise WorkshopError("evicted")
        assert workshop is not None
        if workshop.status == "closing":
            raise WorkshopError("closing")
        if not workshop.is_open:
            raise WorkshopError("workshop_closed")
        if self._idle(workshop.id, moment):
            raise WorkshopError("workshop_idle")
        with self.engine.begin() as connection:
            number = self._enter(connection, workshop.id, digest, address, moment)[1]
        return workshop, number

    def _participant(self, workshop_id: int, digest: str):
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(PARTICIPANTS.c.id, PARTICIPANTS.c.evicted).where(
                    PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.token_sha256 == digest
                )
            ).first()

    def _enter(
        self, connection, workshop_id: int, digest: str, address: str | None, moment: dt.datetime
    ) -> tuple[int, int]:
        """The participant of this phone in the workshop (its id and number), let in if the
        room's limits allow; in the caller's transaction, the workshop's row locked (two
        processes let phones in one at a time)."""
        query = sa.select(WORKSHOPS.c.last_number).where(WORKSHOPS.c.id == workshop_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        last_number = connection.execute(query).scalar() or 0
        row = connection.execute(
            sa.select(
                PARTICIPANTS.c.id,
                PARTICIPANTS.c.number,
                PARTICIPANTS.c.evicted,
                PARTICIPANTS.c.seen_at,
                PARTICIPANTS.c.released_at,
            ).where(PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.token_sha256 == digest)
        ).first()
        if row is not None:
            if row.evicted:
                raise WorkshopError("evicted")
            if row.released_at is None:
                if row.seen_at is None or aware(row.seen_at) < moment - dt.timedelta(minutes=1):
                    connection.execute(PARTICIPANTS.update().where(PARTICIPANTS.c.id == row.id).values(seen_at=moment))
                return row.id, row.number
        from_address = _address_digest(address)
        self._admit(connection, workshop_id, address, from_address, moment)
        if row is not None:
            # Its place was freed by the facilitator: it takes one again, with its number.
            connection.execute(
                PARTICIPANTS.update()
                .where(PARTICIPANTS.c.id == row.id)
                .values(released_at=None, seen_at=moment, address=from_address)
            )
            return row.id, row.number
        # A number never given twice in a workshop, even after its holder left: the journal
        # says "participant n° 3" of one phone only.
        number = last_number + 1
        connection.execute(WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(last_number=number))
        participant_id = connection.execute(
            PARTICIPANTS.insert().values(
                workshop_id=workshop_id,
                token_sha256=digest,
                joined_at=moment,
                seen_at=moment,
                number=number,
                address=from_address,
            )
        ).inserted_primary_key[0]
        return participant_id, number

    def _admit(
        self, connection, workshop_id: int, address: str | None, from_address: str | None, moment: dt.datetime
    ) -> None:
        """Let one more phone take a place, or refuse it: the room full (``room_full``), its
        address's share taken (``address_full``), or too many new phones this minute, from its address or in all
        (``joins_too_fast``). A phone let in is counted in the minute's joins."""
        self._leave_idle(connection, workshop_id, moment - PARTICIPANT_IDLE)
        present = sa.select(sa.func.count()).select_from(PARTICIPANTS).where(*_holding_a_place(workshop_id))
        if (connection.execute(present).scalar() or 0) >= PARTICIPANTS_LIMIT:
            raise WorkshopError("room_full", limit=PARTICIPANTS_LIMIT)
        if from_address is not None:
            brought = connection.execute(present.where(PARTICIPANTS.c.address == from_address)).scalar() or 0
            if brought >= PARTICIPANTS_PER_ADDRESS:
                raise WorkshopError("address_full", limit=PARTICIPANTS_PER_ADDRESS)
        own, room = self._subjects(address)[0], f"room:{workshop_id}"
        counts = _tries_in(connection, "join", (own, room), _minute(moment))
        limit = JOINS.unknown_addresses if own == "?" else JOINS.per_address
        if counts.get(own, 0) >= limit or counts.get(room, 0) >= JOINS.everyone:
            _LOG.warning("workshop %s: new phone refused, too many this minute (from %s)", workshop_id, address or "?")
            raise WorkshopError("joins_too_fast")
        _add_tries(connection, "join", (own, room), _minute(moment))

    def _leave_idle(self, connection, workshop_id: int, seen_before: dt.datetime | None) -> int:
        """Those who never proposed leave (all of them, or those not seen since ``seen_before``)."""
        proposed = sa.select(PROPOSALS.c.id).where(PROPOSALS.c.participant_id == PARTICIPANTS.c.id).exists()
        query = PARTICIPANTS.delete().where(*_holding_a_place(workshop_id), ~proposed)
        if seen_before is not None:
            query = query.where(PARTICIPANTS.c.seen_at < seen_before)
        return connection.execute(query).rowcount

    def _idle(self, workshop_id: int, moment: dt.datetime) -> bool:
        with self.engine.connect() as connection:
            last = connection.execute(
                sa.select(sa.func.coalesce(WORKSHOPS.c.touched_at, WORKSHOPS.c.opened_at)).where(
                    WORKSHOPS.c.id == workshop_id
                )
            ).scalar()
        return last is not None and aware(last) < moment - WORKSHOP_IDLE

    # The facilitator's hand on the room ------------------------------------------------------------
    def evict_idle(self, workshop_id: int) -> int:
        """Every participant who never proposed leaves (a flood of form openers): a real phone
        comes back by itself, with a new number, at its next page. Returns how many left."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            left = self._leave_idle(connection, workshop_id, None)
            self._bump(connection, workshop_id)
        return left

    def unaccepted(self, workshop_id: int) -> tuple[int, int]:
        """The phones holding a place with no accepted proposal: how many, and how many of them
        proposed nothing (what ``release_unaccepted`` would free, for its confirmation)."""
        accepted = (
            sa.select(PROPOSALS.c.id)
            .where(PROPOSALS.c.participant_id == PARTICIPANTS.c.id, PROPOSALS.c.status == "accepted")
            .exists()
        )
        proposed = sa.select(PROPOSALS.c.id).where(PROPOSALS.c.participant_id == PARTICIPANTS.c.id).exists()
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(sa.case((~proposed, 1), else_=0)), 0),
                )
                .select_from(PARTICIPANTS)
                .where(*_holding_a_place(workshop_id), ~accepted)
            ).one()
        return int(row[0] or 0), int(row[1] or 0)

    def release_unaccepted(self, workshop_id: int, now: dt.datetime | None = None) -> int:
        """Free the place of every phone with no accepted proposal (a flood of invented phones,
        each proposing once, after "Tout refuser"): those that proposed nothing leave (as
        ``evict_idle``), the others keep their number and proposals and hold no place. A real
        phone takes a place again when it comes back, within the room's limits; a flood's
        phones come back no faster than new ones. What was accepted stays. Returns how many
        places were freed."""
        moment = now or utc_now()
        accepted = (
            sa.select(PROPOSALS.c.id)
            .where(PROPOSALS.c.participant_id == PARTICIPANTS.c.id, PROPOSALS.c.status == "accepted")
            .exists()
        )
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            left = self._leave_idle(connection, workshop_id, None)
            released = connection.execute(
                PARTICIPANTS.update().where(*_holding_a_place(workshop_id), ~accepted).values(released_at=moment)
            ).rowcount
            self._bump(connection, workshop_id)
        _LOG.warning("workshop %s: %d places freed by the facilitator", workshop_id, left + released)
        return left + released

    def evict(self, workshop_id: int, number: int, now: dt.datetime | None = None) -> int:
        """Participant ``number`` is kept out of the workshop, its waiting proposals rejected
        (what was accepted stays, in the journal). Returns how many proposals were rejected."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            participant = connection.execute(
                sa.select(PARTICIPANTS.c.id).where(
                    PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.number == number
                )
            ).scalar()
            if participant is None:
                raise WorkshopError("unknown_participant", number=number)
            connection.execute(PARTICIPANTS.update().where(PARTICIPANTS.c.id == participant).values(evicted=True))
            rejected = connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.participant_id == participant, PROPOSALS.c.status == "pending")
                .values(status="rejected", decided_at=now or utc_now())
            ).rowcount
            self._bump(connection, workshop_id)
        return rejected

    # Wrong tries ----------------------------------------------------------------------------------
    def take_key(self, given: str | None, address: str | None, now: dt.datetime | None = None) -> bool:
        """Whether ``given`` is the facilitator's key. A wrong one is logged and counted against
        its address (and those that cannot be told apart); past the limit, wrong ones are
        refused without being compared (``WorkshopError("too_many_tries")``). The right key is
        never held up: a key is at least 16 characters of two kinds (``weak_key``), which
        no rate of guessing reaches, while a lockout that stopped it too would let one
        participant behind the room's proxy keep the facilitator out for good."""
        moment = now or utc_now()
        if holds_facilitator_key(given):
            return True
        self._check_tries("key", address, moment)
        _LOG.warning("wrong facilitator key from %s", address or "?")
        self._count_try("key", address, moment)
        return False

    def _subjects(self, address: str | None) -> tuple[str, str]:
        digest = _address_digest(address)
        return (digest if digest is not None else "?"), "*"

    def _check_tries(self, kind: str, address: str | None, moment: dt.datetime) -> None:
        """Refuse (``too_many_tries``) when this address, or everyone, tried too many wrong
        ones this minute: even a right one waits, so that waiting says nothing of it."""
        limits = _TRIES[kind]
        own, everyone = self._subjects(address)
        with self.engine.connect() as connection:
            counts = _tries_in(connection, kind, (own, everyone), _minute(moment))
        limit = limits.unknown_addresses if own == "?" else limits.per_address
        if counts.get(own, 0) >= limit:
            raise WorkshopError("too_many_tries", limit=limit)
        if counts.get(everyone, 0) >= limits.everyone:
            raise WorkshopError("too_many_tries", limit=limit)

    def _count_try(self, kind: str, address: str | None, moment: dt.datetime) -> None:
        """One more wrong try this minute, for its address and for everyone; the minutes before
        the last are forgotten (what is kept stays within two minutes' limits)."""
        with self.engine.begin() as connection:
            _add_tries(connection, kind, self._subjects(address), _minute(moment))


def _holding_a_place(workshop_id: int) -> tuple:
    """The participants of a workshop who hold a place: neither evicted nor freed."""
    return (
        PARTICIPANTS.c.workshop_id == workshop_id,
        PARTICIPANTS.c.evicted.is_(False),
        PARTICIPANTS.c.released_at.is_(None),
    )


def _tries_in(connection, kind: str, subjects: tuple[str, ...], minute: dt.datetime) -> dict[str, int]:
    """How many tries of ``kind`` each subject made in this minute."""
    rows = connection.execute(
        sa.select(ROOM_TRIES.c.subject, ROOM_TRIES.c.count).where(
            ROOM_TRIES.c.kind == kind, ROOM_TRIES.c.minute == minute, ROOM_TRIES.c.subject.in_(subjects)
        )
    ).all()
    return {row.subject: row.count for row in rows}


def _add_tries(connection, kind: str, subjects: tuple[str, ...], minute: dt.datetime) -> None:
    """One more try of ``kind`` this minute for each subject; the minutes before the last are
    forgotten (what is kept stays within two minutes' limits)."""
    connection.execute(ROOM_TRIES.delete().where(ROOM_TRIES.c.minute < minute - dt.timedelta(minutes=1)))
    for subject in subjects:
        this = (ROOM_TRIES.c.kind == kind, ROOM_TRIES.c.subject == subject, ROOM_TRIES.c.minute == minute)
        more = ROOM_TRIES.update().where(*this).values(count=ROOM_TRIES.c.count + 1)
        if connection.execute(more).rowcount:
            continue
        try:
            with connection.begin_nested():
                connection.execute(ROOM_TRIES.insert().values(kind=kind, subject=subject, minute=minute, count=1))
        except sa.exc.IntegrityError:  # counted at the same instant by another process
            connection.execute(more)


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc).replace(second=0, microsecond=0)
