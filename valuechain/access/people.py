"""The people of a deployment: who signs in (``Identity``, from the identity provider's claims),
the roles the store holds for them (the ``roles`` table), the account each e-mail is bound to
(``identities``), and the sessions signed out (``sign_outs``)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import sqlalchemy as sa

from valuechain.access import audit
from valuechain.access.policy import ADMIN, Role, User
from valuechain.errors import Refused
from valuechain.store.db import Store
from valuechain.store.schema import CENTRES, IDENTITIES, ROLES, SIGN_OUTS

# How long a sign-in lasts before the person is asked to sign in again (hours), counted from
# the moment the identity provider vouched for them: a cookie taken from a shared computer
# does not open the store for Streamlit's 30 days.
SESSION_HOURS = float(os.environ.get("VALUECHAIN_SESSION_HOURS", "12"))


@dataclass(frozen=True)
class Identity:
    """What a signed-in person is, from the identity provider's claims: the e-mail an admin
    gives roles to (``person``), and the account behind it (``issuer`` and ``subject``)."""

    person: str
    name: str
    issuer: str = ""
    subject: str = ""
    # When the provider vouched for this session (the claims' ``iat``): what a sign-out ends.
    signed_in_at: dt.datetime | None = field(default=None, compare=False)


def trusted_email_issuers() -> frozenset[str]:
    """The providers whose e-mails are taken without an ``email_verified`` claim
    (``VALUECHAIN_EMAIL_TRUSTED_ISSUERS``, their issuers separated by spaces or commas): a
    provider such as Microsoft Entra sends none, and only its own organisation's addresses."""
    return frozenset(
        part for part in os.environ.get("VALUECHAIN_EMAIL_TRUSTED_ISSUERS", "").replace(",", " ").split() if part
    )


def identity_from_claims(
    claims: dict, now: dt.datetime | None = None, trusted_issuers: frozenset[str] | None = None
) -> Identity:
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
    if (
        issued_at is None
        or now - issued_at > dt.timedelta(hours=SESSION_HOURS)
        or issued_at - now > dt.timedelta(minutes=5)
    ):
        raise Refused("session_expired")
    return Identity(email, str(claims.get("name") or email), issuer, str(claims.get("sub") or ""), issued_at)


def normalise_person(person: str) -> str:
    person = (person or "").strip().lower()
    if "@" not in person or len(person) > 320 or any(c.isspace() for c in person):
        raise Refused("bad_person", person=person[:80])
    return person


def grant_role(store: Store, by: str, person: str, kind: str, federation: str, centre: dict | None) -> Role:
    """Give ``person`` a role (the one they have already, if so), written to the audit log
    under ``by``. Whether ``by`` may is ``Access.grant``'s question."""
    centre_id: int | None = centre["id"] if centre else None
    centre_name: str | None = centre["name"] if centre else None
    existing = [
        r
        for r in roles_where(store, ROLES.c.person == person)
        if (r.kind, r.federation, r.centre_id) == (kind, federation, centre_id)
    ]
    if existing:
        return existing[0]
    with store.engine.begin() as connection:
        inserted = connection.execute(
            ROLES.insert().values(
                person=person,
                kind=kind,
                federation=federation,
                centre_id=centre_id,
                granted_by=by,
                granted_at=dt.datetime.now(dt.timezone.utc),
            )
        ).inserted_primary_key
        role_id = inserted[0] if inserted else None
        audit.write(connection, by, audit.Action.GRANT, federation, centre_name, None, f"{person} {kind}")
    return Role(kind, federation, centre_id, centre_name, role_id, person)


def first_admin(store: Store, person: str, federation: str) -> Role:
    """Name a federation's first admin, from the command line of whoever holds the database's
    credentials (the server's operator). Refused once the federation has an admin: from then
    on, its admins give roles (``Access.grant``)."""
    person = normalise_person(person)
    federation = (federation or "").strip()
    if not federation:
        raise Refused("bad_federation")
    if any(r.kind == ADMIN for r in roles_where(store, ROLES.c.federation == federation)):
        raise Refused("has_admin", federation=federation)
    return grant_role(store, "database", person, ADMIN, federation, None)


def roles_where(store: Store, where) -> list[Role]:
    """The roles ``where`` selects, each with its centre's name."""
    query = (
        sa.select(
            ROLES.c.id,
            ROLES.c.person,
            ROLES.c.kind,
            ROLES.c.federation,
            ROLES.c.centre_id,
            CENTRES.c.name.label("centre"),
        )
        .outerjoin(CENTRES, CENTRES.c.id == ROLES.c.centre_id)
        .where(where)
        .order_by(ROLES.c.federation, ROLES.c.kind, ROLES.c.id)
    )
    with store.engine.connect() as connection:
        return [Role(r.kind, r.federation, r.centre_id, r.centre, r.id, r.person) for r in connection.execute(query)]


def user_of(store: Store, identity: Identity) -> User:
    """A signed-in person with the roles the store holds for them now. A session signed out
    (``sign_out``) is refused (``session_ended``). The first account to sign in with an e-mail
    that holds a role is bound to it for good (losing every role does not unbind it); another
    account claiming that e-mail later (another provider, an address given again) is refused
    (``identity_mismatch``)."""
    if identity.signed_in_at is not None and _signed_out(store, identity):
        raise Refused("session_ended")
    roles = tuple(roles_where(store, ROLES.c.person == identity.person))
    if roles and identity.subject:
        _bind(store, identity)
    return User(identity.person, identity.name, roles)


def sign_out(store: Store, identity: Identity) -> None:
    """End ``identity``'s session on every process. Streamlit's ``st.logout`` only deletes the
    cookie in the browser that clicks; a copy of it would stay good until ``SESSION_HOURS``.
    The store keeps the sign-in time of the account's latest session signed out: that session
    and every earlier one are refused, a later sign-in is taken. Both times are the provider's
    (``iat``), so that a clock of the server's own that runs ahead refuses no new sign-in."""
    if identity.signed_in_at is None:
        return
    account = _account(identity)
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with store.engine.begin() as connection:
            if connection.execute(sa.select(SIGN_OUTS.c.person).where(account)).first() is None:
                connection.execute(
                    SIGN_OUTS.insert().values(
                        person=identity.person,
                        issuer=identity.issuer[:500],
                        subject=identity.subject[:300],
                        last_ended_sign_in=identity.signed_in_at,
                        signed_out_at=now,
                    )
                )
            else:  # an older session signed out later brings no later one back
                connection.execute(
                    SIGN_OUTS.update()
                    .where(account & (SIGN_OUTS.c.last_ended_sign_in < identity.signed_in_at))
                    .values(last_ended_sign_in=identity.signed_in_at, signed_out_at=now)
                )
    except sa.exc.IntegrityError:  # the same account signing out on another process
        sign_out(store, identity)


def forget_roleless(connection, persons: set[str]) -> None:
    """Forget those of ``persons`` left with no role: their e-mail's binding to an account and
    their sign-outs. Only erasure does this (its people erased with their centre); a revocation,
    even of every role, keeps the binding, so that a role given again is not bound to the next
    account that shows the e-mail."""
    if not persons:
        return
    kept = set(connection.execute(sa.select(ROLES.c.person).where(ROLES.c.person.in_(persons))).scalars())
    if persons - kept:
        connection.execute(IDENTITIES.delete().where(IDENTITIES.c.person.in_(persons - kept)))
        connection.execute(SIGN_OUTS.delete().where(SIGN_OUTS.c.person.in_(persons - kept)))


def _account(identity: Identity):
    return (
        (SIGN_OUTS.c.person == identity.person)
        & (SIGN_OUTS.c.issuer == identity.issuer[:500])
        & (SIGN_OUTS.c.subject == identity.subject[:300])
    )


def _signed_out(store: Store, identity: Identity) -> bool:
    with store.engine.connect() as connection:
        return (
            connection.execute(
                sa.select(SIGN_OUTS.c.person).where(
                    _account(identity) & (SIGN_OUTS.c.last_ended_sign_in >= identity.signed_in_at)
                )
            ).first()
            is not None
        )


def _bind(store: Store, identity: Identity) -> None:
    with store.engine.connect() as connection:
        bound = connection.execute(
            sa.select(IDENTITIES.c.issuer, IDENTITIES.c.subject).where(IDENTITIES.c.person == identity.person)
        ).first()
    if bound is None:
        try:
            with store.engine.begin() as connection:
                connection.execute(
                    IDENTITIES.insert().values(
                        person=identity.person,
                        issuer=identity.issuer[:500],
                        subject=identity.subject[:300],
                        first_seen=dt.datetime.now(dt.timezone.utc),
                    )
                )
            return
        except sa.exc.IntegrityError:  # the same person's first sign-in on another process
            return _bind(store, identity)
    if (bound.issuer, bound.subject) != (identity.issuer[:500], identity.subject[:300]):
        raise Refused("identity_mismatch")
