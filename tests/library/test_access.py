"""Who may see or change which centre (valuechain.access.service): every role against every operation,
the store through Access (benchmarks that name nobody, deletions that can be undone, the audit
log, a centre exported and erased whole), sign-in claims, and the command line as a person."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile

import pytest

from helpers import EMBRUNS, FALAISES, ROOT, SEINE, TISSERANDS, WORKED_EXAMPLE_FILE
from support.stores import postgres_reachable
from valuechain import InputFile
from valuechain.access.audit import audit_csv
from valuechain.access.people import Identity, first_admin, identity_from_claims, user_of
from valuechain.access.policy import ADMIN, ANALYST, MEMBER, Operation, Role, User, authorise
from valuechain.access.service import Access
from valuechain.errors import Refused
from valuechain.store.batch import import_groups
from valuechain.store.db import KEPT_DELETED, Store

DROME = "Fédération des centres sociaux de la Drôme"

# The table of the deployment: for each role, what it may do on three centres: its own (1, in
# Seine-Maritime), another of the same federation (2), one of another federation (3).
# "named" = allowed with the centre's name; "letter" = allowed as an anonymised benchmark.
OP = Operation
ROLE_USERS = {
    "owner": User.local_owner(),
    "admin": User("a@fd76.fr", roles=(Role(ADMIN, SEINE),)),
    "analyst": User("b@fd76.fr", roles=(Role(ANALYST, SEINE),)),
    "member": User("c@embruns.fr", roles=(Role(MEMBER, SEINE, centre_id=1, centre="Embruns"),)),
    "no role": User("d@ailleurs.fr"),
    "participant": User.room_participant(),
}
CENTRE_OPERATIONS = [
    OP.LIST,
    OP.OPEN,
    OP.ORIGINAL,
    OP.FIGURES,
    OP.COMPARE,
    OP.IMPORT,
    OP.DELETE,
    OP.EXPORT,
    OP.RESTORE,
    OP.ERASE,
    OP.CENTRE_EXPORT,
]
MEMBER_OWN = {OP.LIST, OP.OPEN, OP.ORIGINAL, OP.FIGURES, OP.COMPARE, OP.IMPORT, OP.EXPORT}


def expected(role: str, operation: Operation, centre: int) -> str:
    if role == "owner":
        return "named"
    if role in ("no role", "participant"):
        return "refused"
    if centre == 3:
        return "refused"  # another federation: nothing, to anybody of this one
    if role == "admin":
        return "named"
    if role == "analyst":
        return "letter" if operation == OP.COMPARE else "refused"
    if centre == 1:  # the member's own centre
        return "named" if operation in MEMBER_OWN else "refused"
    return "refused"  # another centre, even of its federation: never its row (distributions only)


def shown(decision) -> str:
    return "refused" if not decision.allowed else ("named" if decision.named else "letter")


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_role_against_every_operation_on_every_kind_of_centre(role):
    centres = {1: SEINE, 2: SEINE, 3: DROME}
    found = {
        (op.value, c): shown(authorise(ROLE_USERS[role], op, centres[c], c))
        for op in CENTRE_OPERATIONS
        for c in centres
    }
    assert found == {(op.value, c): expected(role, op, c) for op in CENTRE_OPERATIONS for c in centres}
    # The federation's own operations: its admin (and a local store's owner) only.
    for op in (OP.MEMBERS, OP.AUDIT):
        assert authorise(ROLE_USERS[role], op, SEINE).allowed == (role in ("owner", "admin"))
        assert authorise(ROLE_USERS[role], op, DROME).allowed == (role == "owner")


def test_an_analyst_sees_names_only_when_the_admin_chose_so_and_a_person_may_hold_several_roles():
    analyst = ROLE_USERS["analyst"]
    assert authorise(analyst, OP.COMPARE, SEINE, 2, analysts_see_names=True).named
    assert not authorise(analyst, OP.OPEN, SEINE, 2, analysts_see_names=True).allowed
    both = User("e@fd.fr", roles=(Role(MEMBER, SEINE, 1), Role(ANALYST, DROME)))
    assert shown(authorise(both, OP.OPEN, SEINE, 1)) == "named"
    assert shown(authorise(both, OP.COMPARE, DROME, 3)) == "letter"
    assert shown(authorise(both, OP.OPEN, DROME, 3)) == "refused"
    # A centre that no federation holds is the local owner's alone.
    assert not authorise(ROLE_USERS["admin"], OP.LIST, None, 4).allowed


# The store through Access -------------------------------------------------------------------------
@pytest.fixture
def federation_store(url):  # noqa: F811
    store = Store(url)
    owner = Access(store, User.local_owner())
    for path in (EMBRUNS, FALAISES, TISSERANDS, WORKED_EXAMPLE_FILE):
        owner.import_files([InputFile.from_path(path)])
    first_admin(store, "Admin@FD76.fr", SEINE)
    admin = Access(store, user_of(store, Identity("admin@fd76.fr", "Admin")))
    embruns = store.centre_of_key("Association Les Embruns")
    admin.grant("membre@embruns.fr", MEMBER, SEINE, embruns["id"])
    admin.grant("analyste@fd76.fr", ANALYST, SEINE)
    yield store
    store.dispose()


def person(store, email: str) -> Access:
    """A person as the dashboard sees them at each step: their roles read from the store now."""
    return Access(store, user_of(store, Identity(email, email)))


def version_of(store, centre: str):
    return next(v for v in store.versions() if v.centre == centre)


def test_a_member_sees_its_centre_by_name_and_never_another_centre_s_row(federation_store):
    member = person(federation_store, "membre@embruns.fr")
    reports = member.comparison(year=2025)
    assert [r["centre"] for r in reports] == ["Association Les Embruns"]
    assert "Falaises" not in json.dumps(reports, ensure_ascii=False)
    # Its federation has two centres: fewer than five, so no distribution either.
    found, own = member.distribution(2025, SEINE)
    assert own["centre"] == "Association Les Embruns"
    assert all(d.suppressed and d.median is None and d.position is None for d in found)
    assert {d.count for d in found} <= {0, 1, 2}
    with pytest.raises(Refused):
        member.distribution(2025, "Fédération des centres sociaux de la Drôme")
    # Another federation's centre and the centre of no federation are not there at all.
    assert member.counts() == (1, 1)
    assert [v.centre for v in member.versions()] == ["Association Les Embruns"]
    assert member.years() == [2025] and member.federations() == [SEINE]


def test_the_counts_years_and_federations_are_those_of_the_versions_compared(federation_store):
    """They are read without the versions (a national federation's Comparer asks at every
    rerun): for every role, what the versions compared would give."""
    from helpers import minimal_sheets, xlsx_bytes

    owner = Access(federation_store, User.local_owner())
    for year in (2024, 2025):  # a centre of no federation, over two years
        sheets = minimal_sheets()
        sheets["Centre"][2] = ["annee", year]
        owner.import_files([InputFile(f"test-{year}.xlsx", xlsx_bytes(sheets))])
    assert owner.years() == [2024, 2025] and owner.counts() == (5, 6)
    for who in (
        Access(federation_store, User.local_owner()),
        person(federation_store, "admin@fd76.fr"),
        person(federation_store, "analyste@fd76.fr"),
        person(federation_store, "membre@embruns.fr"),
    ):
        compared = who.compared()
        assert who.counts() == (len({v.centre_id for v, _ in compared}), len(compared))
        assert who.years() == sorted({v.year for v, _ in compared if v.year is not None})
        assert who.federations() == sorted({v.federation for v, named in compared if v.federation and named})


def test_a_comparison_kept_in_memory_follows_the_store(federation_store):
    """The comparison's figures are decoded once per process; what is live is asked every
    time: a deleted version leaves the comparison at once, and comes back when restored."""
    from valuechain.chain.compare import comparison_part

    owner = Access(federation_store, User.local_owner())
    first = owner.comparison(year=2025)
    full = federation_store.figures([r["version_id"] for r in first])
    assert first == [
        dict(comparison_part(r), version_id=i, federation=f)
        for r, i, f in zip(full, (r["version_id"] for r in first), (r["federation"] for r in first))
    ]
    assert Access(federation_store, User.local_owner()).comparison(year=2025) == first  # kept, the same
    gone = first[0]["version_id"]
    owner.delete(gone)
    assert gone not in [r["version_id"] for r in Access(federation_store, User.local_owner()).comparison(year=2025)]
    owner.restore(gone)
    assert Access(federation_store, User.local_owner()).comparison(year=2025) == first


def test_an_analyst_gets_no_letters_for_fewer_than_five_centres_until_the_admin_shows_names(federation_store):
    analyst = person(federation_store, "analyste@fd76.fr")
    # Two centres under letters would be recognised: none is given, and the count says why.
    assert analyst.comparison(year=2025) == [] and analyst.letters_withheld(year=2025) == 2
    assert analyst.versions() == []
    with pytest.raises(Refused) as refused:
        analyst.open(version_of(federation_store, "Association Les Embruns").id)
    assert refused.value.reason == "unknown_version"  # the same as a version that is not there
    person(federation_store, "admin@fd76.fr").set_analysts_see_names(SEINE, True)
    assert sorted(r["centre"] for r in person(federation_store, "analyste@fd76.fr").comparison(year=2025)) == [
        "Association Les Embruns",
        "Maison des habitants Les Falaises",
    ]


def test_another_centre_s_version_cannot_be_opened_by_its_id_and_an_unknown_id_says_the_same(federation_store):
    member = person(federation_store, "membre@embruns.fr")
    other = version_of(federation_store, "Maison des habitants Les Falaises")
    elsewhere = version_of(federation_store, "La Coopérative des Tisserands")
    for version_id in (other.id, elsewhere.id):
        for action in (
            member.open,
            member.original_file,
            member.delete,
            member.restore,
            lambda i: member.exported(i, ".pdf"),
        ):
            with pytest.raises(Refused):
                action(version_id)
        assert not member.may_export(version_id)
    messages = set()
    for version_id in (999_999, "1 OR 1=1", -1):
        with pytest.raises(Refused) as refused:
            member.open(version_id)
        messages.add(refused.value.message("fr"))
    for version_id in (other.id, elsewhere.id):
        with pytest.raises(Refused) as refused:
            member.open(version_id)
        messages.add(refused.value.message("fr"))
    assert len(messages) == 1  # nobody learns which versions exist
    own = version_of(federation_store, "Association Les Embruns")
    assert member.open(own.id)[0].data == EMBRUNS.read_bytes()
    refusals = [e for e in person(federation_store, "admin@fd76.fr").audit(SEINE) if e.action == "refused"]
    assert {e.person for e in refusals} == {"membre@embruns.fr"} and all(e.centre is None for e in refusals)


def test_a_member_imports_its_own_centre_only_and_cannot_move_it_to_another_federation(federation_store, tmp_path):
    from helpers import minimal_sheets, xlsx_bytes

    member = person(federation_store, "membre@embruns.fr")
    # Its own centre's workbook, saying another federation: kept, in the member's federation.
    sheets = minimal_sheets()
    sheets["Centre"] = [
        ["champ", "valeur"],
        ["nom", "Association Les Embruns"],
        ["annee", 2026],
        ["federation", "FD Ailleurs"],
    ]
    sheets["Acteurs"][1][0] = "Association Les Embruns"
    moved = xlsx_bytes(sheets)
    sheets["Centre"][1][1] = sheets["Acteurs"][1][0] = "Association Les Nouveaux"
    new_centre = xlsx_bytes(sheets)
    version = member.import_files([InputFile("embruns-2026.xlsx", moved)])
    assert version.federation == SEINE and version.year == 2026
    results = import_groups(
        member,
        [[InputFile.from_path(FALAISES)], [InputFile.from_path(TISSERANDS)], [InputFile("nouveau.xlsx", new_centre)]],
        lang="en",
    )
    assert [r.version for r in results] == [None, None, None]
    assert [r.message for r in results] == [Refused("not_yours").message("en")] * 2 + [
        Refused("new_centre").message("en")
    ]
    assert federation_store.centre_of_key("Association Les Nouveaux") is None
    # The admin adds a new centre to their federation, whatever its workbook says.
    admin = person(federation_store, "admin@fd76.fr")
    added = admin.import_files([InputFile("nouveau.xlsx", new_centre)])
    assert added.federation == SEINE


def test_a_deletion_hides_a_version_an_admin_restores_it_and_it_is_purged_after_30_days(federation_store):
    admin = person(federation_store, "admin@fd76.fr")
    member = person(federation_store, "membre@embruns.fr")
    own = version_of(federation_store, "Association Les Embruns")
    with pytest.raises(Refused):
        member.delete(own.id)  # a member deletes nothing
    admin.delete(own.id)
    assert member.versions() == [] and member.counts() == (0, 0)  # its one version deleted: nothing left to compare
    with pytest.raises(Refused):
        member.open(own.id)
    assert [v.id for v in admin.deleted()] == [own.id] and admin.deleted()[0].deleted_by == "admin@fd76.fr"
    with pytest.raises(Refused):
        member.restore(own.id)
    admin.restore(own.id)
    assert [v.id for v in member.versions()] == [own.id] and admin.deleted() == []
    # Deleted 31 days ago: gone for good at the next look, and the log says so.
    federation_store.delete(
        own.id, by="admin@fd76.fr", now=dt.datetime.now(dt.timezone.utc) - KEPT_DELETED - dt.timedelta(days=1)
    )
    assert admin.deleted() == [] and federation_store.find(own.id) is None
    # Past its 30 days, a version cannot be restored, even by its id before anyone looked.
    other = version_of(federation_store, "Maison des habitants Les Falaises")
    federation_store.delete(
        other.id, by="admin@fd76.fr", now=dt.datetime.now(dt.timezone.utc) - KEPT_DELETED - dt.timedelta(days=1)
    )
    with pytest.raises(Refused):
        admin.restore(other.id)
    assert federation_store.find(other.id) is None
    actions = [e.action for e in admin.audit(SEINE)]
    assert {"delete", "restore", "purge", "grant", "import", "refused"} <= set(actions)


def test_roles_are_given_to_real_centres_and_taken_away_at_once(federation_store):
    admin = person(federation_store, "admin@fd76.fr")
    tisserands = federation_store.centre_of_key("La Coopérative des Tisserands")
    for args, reason in [
        (("x@fd76.fr", MEMBER, SEINE, 999), "unknown_centre"),
        (("x@fd76.fr", MEMBER, SEINE, tisserands["id"]), "unknown_centre"),  # another federation's
        (("x@fd76.fr", MEMBER, SEINE, None), "unknown_centre"),
        (("pas une adresse", ANALYST, SEINE), "bad_person"),
        (("x@fd76.fr", "chef", SEINE), "bad_role"),
        (("x@fd76.fr", ANALYST, DROME), "not_yours"),
    ]:
        with pytest.raises(Refused) as refused:
            admin.grant(*args)
        assert refused.value.reason == reason, args
        assert refused.value.message("fr") and refused.value.message("en")
    with pytest.raises(Refused) as refused:
        first_admin(federation_store, "autre@fd76.fr", SEINE)
    assert refused.value.reason == "has_admin"
    only_admin = next(r for r in admin.roles(SEINE) if r.kind == ADMIN)
    with pytest.raises(Refused) as refused:
        admin.revoke(only_admin.id)
    assert refused.value.reason == "last_admin"
    role = next(r for r in admin.roles(SEINE) if r.person == "membre@embruns.fr")
    admin.revoke(role.id)
    removed = person(federation_store, "membre@embruns.fr")
    assert not removed.user.has_role and removed.comparison(year=2025) == [] and removed.versions() == []
    with pytest.raises(Refused):
        person(federation_store, "analyste@fd76.fr").revoke(role.id)


def test_a_centre_is_exported_whole_then_erased_whole(federation_store):
    admin = person(federation_store, "admin@fd76.fr")
    embruns = federation_store.centre_of_key("Association Les Embruns")
    own = version_of(federation_store, "Association Les Embruns")
    admin.delete(own.id)  # a deleted version is part of what is kept, so of the export and the erasure
    with pytest.raises(Refused):
        person(federation_store, "membre@embruns.fr").centre_export(embruns["id"])
    archive = zipfile.ZipFile(io.BytesIO(admin.centre_export(embruns["id"])))
    names = archive.namelist()
    assert f"versions/{own.id}/{EMBRUNS.name}" in names and f"versions/{own.id}/tables.json" in names
    assert archive.read(f"versions/{own.id}/{EMBRUNS.name}") == EMBRUNS.read_bytes()
    summary = json.loads(archive.read("centre.json"))
    assert summary["centre"]["name"] == "Association Les Embruns"
    assert [m["person"] for m in summary["members"]] == ["membre@embruns.fr"]
    assert summary["versions"][0]["deleted_by"] == "admin@fd76.fr"
    assert "suppression" in archive.read("audit.csv").decode()
    assert admin.erase_centre(embruns["id"]) == 1
    assert federation_store.centre_of_key("Association Les Embruns") is None and federation_store.find(own.id) is None
    assert not person(federation_store, "membre@embruns.fr").user.has_role  # its members went with it
    assert sorted(r["centre"] for r in admin.comparison(year=2025)) == ["Maison des habitants Les Falaises"]
    assert any(e.action == "erase" for e in admin.audit(SEINE))


def _every_text_in_the_store(store) -> str:
    """Every row of every table of the store, as text: what an erasure must leave nothing of."""
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        return "\n".join(
            " | ".join(str(value) for value in row)
            for table in tables
            for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))
        )


def test_an_erased_centre_leaves_no_name_in_any_table_workshops_included(federation_store):
    """Issue 25.1: erase removed the versions and the centre but kept its workshops (the whole
    workbook they started from, the journal, the room's proposals), which the public wall
    still showed. The export carries them; the erasure leaves none of its names anywhere."""
    from valuechain import load_paths
    from valuechain.workshop.answers import Answer
    from valuechain.workshop.workshops import Workshops

    admin = person(federation_store, "admin@fd76.fr")
    embruns = federation_store.centre_of_key("Association Les Embruns")
    user_of(federation_store, Identity("membre@embruns.fr", "M", "https://sso.fd76.fr", "m-1"))  # bound
    workbook = load_paths([EMBRUNS])
    workshops = Workshops(federation_store)
    closed = workshops.open(workbook.raw, workbook.name, source=EMBRUNS.name, by="admin@fd76.fr")
    workshops.propose(
        closed.code,
        "phone-1",
        Answer(who="Voisine Odette Tartempion", nature="benevolat", target=workbook.name, who_category="habitants"),
    )
    workshops.close(closed.id, importer=admin.import_files)
    still_open = workshops.open(workbook.raw, workbook.name, source=EMBRUNS.name, by="admin@fd76.fr")
    from valuechain.store.drafts import Drafts  # someone's work in progress on it, edits included

    Drafts(federation_store).keep(
        "membre@embruns.fr", "tab-1", (InputFile.from_path(EMBRUNS),), workbook.name, edited=workbook.raw
    )
    archive = zipfile.ZipFile(io.BytesIO(admin.centre_export(embruns["id"])))
    kept = {name: json.loads(archive.read(name)) for name in archive.namelist() if name.startswith("ateliers/")}
    assert sorted(w["id"] for w in kept.values()) == sorted([closed.id, still_open.id])
    assert any("Odette Tartempion" in json.dumps(w["proposals"], ensure_ascii=False) for w in kept.values())

    others = {
        name for path in (FALAISES, TISSERANDS, WORKED_EXAMPLE_FILE) for name in load_paths([path]).actors["name"]
    }
    names = [n for n in workbook.actors["name"] if n not in others] + [
        "Les Embruns",
        "Odette Tartempion",
        "membre@embruns.fr",
    ]

    def found(text: str) -> list[str]:  # as typed, or as JSON keeps it (\u00e9 for é)
        return [n for n in names if n in text or json.dumps(n)[1:-1] in text]

    assert len(names) > 5 and found(_every_text_in_the_store(federation_store)) == names
    admin.erase_centre(embruns["id"])
    assert found(_every_text_in_the_store(federation_store)) == []
    # The public wall and the form of both workshops know their codes no more.
    assert workshops.by_code(closed.code) is None and workshops.by_code(still_open.code) is None
    # The audit log still says who erased what, under the centre's number.
    assert [e.centre for e in admin.audit(SEINE) if e.action == "erase"] == [f"#{embruns['id']} (effacé / erased)"]


def test_the_audit_log_is_text_in_a_spreadsheet():
    from valuechain.access.audit import AuditEntry

    text = audit_csv(
        [
            AuditEntry(
                dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc),
                "=cmd|' /c calc'!A1",
                "import",
                SEINE,
                "+Centre",
                3,
                "@SUM(1)",
            )
        ],
        "en",
    )
    assert "'=cmd" in text and "'+Centre" in text and "'@SUM" in text and "import" in text


def test_every_action_the_audit_log_can_hold_has_its_words_and_an_unknown_one_shows_as_its_code():
    """Issue 33.6: the action ``match`` (Évolution) had no words, and every display of the log
    stopped at it. Each action ``record`` can write has its own words in every language; an
    action this version does not know (written by a newer one) shows as its code, never an error."""
    from valuechain.access.audit import Action, AuditEntry, audit_table
    from valuechain.words import catalogue

    for lang in catalogue.languages():
        for action in Action:
            written_in, _ = catalogue.entry("access", f"action_{action}", lang)
            assert written_in == lang, (lang, action)
    at = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)
    entries = [
        AuditEntry(at=at, person="a@fd76.fr", action=action, federation=SEINE, centre="C", version_id=None, detail="")
        for action in [*Action, "from_a_newer_version"]
    ]
    for lang in ("fr", "en"):
        shown = audit_table(entries, lang, lambda moment: moment).iloc[:, 2].tolist()
        written = audit_csv(entries, lang)
        assert len(set(shown)) == len(entries) and "from_a_newer_version" in shown[-1]
        assert all(words in written for words in shown)


# Sign-in claims --------------------------------------------------------------------------------------
def test_a_sign_in_is_taken_only_with_a_verified_e_mail_and_for_a_limited_time():
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    fresh = {
        "email": "Admin@FD76.fr",
        "email_verified": True,
        "name": "Admin",
        "iss": "https://sso.fd76.fr",
        "sub": "a-1",
        "iat": (now - dt.timedelta(hours=1)).timestamp(),
    }
    assert identity_from_claims(fresh, now) == Identity("admin@fd76.fr", "Admin", "https://sso.fd76.fr", "a-1")
    for claims, reason in [
        ({**fresh, "iat": (now - dt.timedelta(days=2)).timestamp()}, "session_expired"),
        ({**fresh, "iat": (now + dt.timedelta(days=2)).timestamp()}, "session_expired"),
        ({**fresh, "iat": "demain"}, "session_expired"),
        ({k: v for k, v in fresh.items() if k != "iat"}, "session_expired"),
        ({**fresh, "email": ""}, "no_email"),
        ({**fresh, "email_verified": False}, "no_email"),
        ({"sub": "someone", "iat": fresh["iat"]}, "no_email"),
        # Issue 25.7: a provider that does not say the e-mail is verified
        ({k: v for k, v in fresh.items() if k != "email_verified"}, "no_email"),
    ]:
        with pytest.raises(Refused) as refused:
            identity_from_claims(claims, now, trusted_issuers=frozenset())
        assert refused.value.reason == reason, claims


def test_an_e_mail_without_email_verified_is_taken_only_from_a_provider_configured_to_vouch_for_it(monkeypatch):
    """Microsoft Entra sends no ``email_verified``: its issuer is named in the configuration."""
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    entra = "https://login.microsoftonline.com/tenant/v2.0"
    claims = {"email": "admin@fd76.fr", "iss": entra, "sub": "x", "iat": now.timestamp()}
    monkeypatch.setenv("VALUECHAIN_EMAIL_TRUSTED_ISSUERS", f"https://sso.example, {entra}")
    assert identity_from_claims(claims, now).person == "admin@fd76.fr"
    assert (
        identity_from_claims({**claims, "iss": "https://other", "email_verified": "true"}, now).issuer
        == "https://other"
    )
    with pytest.raises(Refused):
        identity_from_claims({**claims, "iss": "https://other"}, now)
    with pytest.raises(Refused):  # a provider that says no is never trusted
        identity_from_claims({**claims, "email_verified": False}, now)


def test_a_second_account_claiming_an_e_mail_that_holds_a_role_is_refused(federation_store):
    """Issue 25.7: the person was the e-mail claim alone, so any provider account showing that
    e-mail took its roles. The first account to sign in with it is bound to it."""
    mine = Identity("admin@fd76.fr", "Admin", "https://sso.fd76.fr", "a-1")
    assert user_of(federation_store, mine).has_role
    assert user_of(federation_store, mine).has_role  # the same account, again
    for other in (
        Identity("admin@fd76.fr", "Admin", "https://sso.fd76.fr", "a-2"),
        Identity("admin@fd76.fr", "Admin", "https://accounts.example", "a-1"),
    ):
        with pytest.raises(Refused) as refused:
            user_of(federation_store, other)
        assert refused.value.reason == "identity_mismatch"
    # Issue 33.13: all its roles taken away and one given again, the e-mail stays bound to its
    # account (it was bound anew to the next account to sign in, whoever held it).
    member = Identity("membre@embruns.fr", "M", "https://sso.fd76.fr", "m-1")
    assert user_of(federation_store, member).has_role
    admin = Access(federation_store, user_of(federation_store, mine))
    admin.revoke(next(r.id for r in admin.roles(SEINE) if r.person == "membre@embruns.fr"))
    assert not user_of(federation_store, member).has_role
    admin.grant("membre@embruns.fr", MEMBER, SEINE, federation_store.centre_of_key("Association Les Embruns")["id"])
    with pytest.raises(Refused) as refused:
        user_of(federation_store, Identity("membre@embruns.fr", "M", "https://new-sso", "m-9"))
    assert refused.value.reason == "identity_mismatch"
    assert user_of(federation_store, member).has_role
    # An e-mail with no role binds nothing: whoever signs in first with it is no one yet.
    assert not user_of(federation_store, Identity("nobody@fd76.fr", "N", "https://x", "1")).has_role


def test_a_session_signed_out_is_refused_everywhere_and_a_new_sign_in_is_taken(federation_store):
    """Issue 33.13: "Se déconnecter" deleted the browser's cookie only, and a copy of it stayed
    good for 12 hours. The sign-out is kept in the store: the session it ended, and every
    earlier one of that account, is refused on every process; a later sign-in is taken."""
    from valuechain.access.people import sign_out

    now = dt.datetime.now(dt.timezone.utc)
    claims = {"email": "membre@embruns.fr", "email_verified": True, "iss": "https://sso", "sub": "m-1"}

    def session(minutes_ago: float) -> Identity:
        return identity_from_claims({**claims, "iat": (now - dt.timedelta(minutes=minutes_ago)).timestamp()})

    earlier, signed_in = session(90), session(30)
    assert user_of(federation_store, signed_in).has_role and user_of(federation_store, earlier).has_role
    sign_out(federation_store, signed_in)
    for copied in (signed_in, earlier):
        with pytest.raises(Refused) as refused:
            user_of(federation_store, copied)
        assert refused.value.reason == "session_ended"
        with pytest.raises(Refused):
            user_of(Store(federation_store.url), copied)  # another process: the same answer
    assert user_of(federation_store, session(0)).has_role
    # Signing out an older session again does not bring the later ones back, nor end the new one.
    sign_out(federation_store, earlier)
    assert user_of(federation_store, session(0)).has_role
    with pytest.raises(Refused):
        user_of(federation_store, signed_in)


# Two processes, one PostgreSQL ------------------------------------------------------------------------
@pytest.mark.postgres
def test_two_processes_on_one_postgresql_give_one_person_the_same_answers(pg_url):
    url = pg_url
    one, two = Store(url), Store(url)
    Access(one, User.local_owner()).import_files([InputFile.from_path(EMBRUNS)])
    Access(one, User.local_owner()).import_files([InputFile.from_path(FALAISES)])
    first_admin(one, "admin@fd76.fr", SEINE)
    person(one, "admin@fd76.fr").grant(
        "membre@embruns.fr", MEMBER, SEINE, one.centre_of_key("Association Les Embruns")["id"]
    )
    assert person(two, "membre@embruns.fr").comparison(year=2025) == person(one, "membre@embruns.fr").comparison(
        year=2025
    )
    # Each process keeps the comparison's figures it decoded; what is live is the store's: a
    # version deleted through one is gone from the other's comparison at once, and comes back.
    kept = person(one, "admin@fd76.fr").comparison(year=2025)
    person(two, "admin@fd76.fr").delete(kept[0]["version_id"])
    assert person(one, "admin@fd76.fr").comparison(year=2025) == kept[1:]
    person(two, "admin@fd76.fr").restore(kept[0]["version_id"])
    assert person(one, "admin@fd76.fr").comparison(year=2025) == kept
    role = next(r for r in person(two, "admin@fd76.fr").roles(SEINE) if r.kind == MEMBER)
    person(two, "admin@fd76.fr").revoke(role.id)
    assert not person(one, "membre@embruns.fr").user.has_role
    one.dispose()
    two.dispose()


# The command line as a person --------------------------------------------------------------------------
def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "valuechain", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_the_command_line_is_the_local_store_s_owner_and_a_named_person_on_a_shared_one(tmp_path, monkeypatch):
    import os

    env = {**os.environ, "VALUECHAIN_STORE_PATH": str(tmp_path / "store.sqlite")}
    env.pop("VALUECHAIN_USER", None)
    assert _cli("import", str(EMBRUNS), str(FALAISES), env=env).returncode == 0
    assert _cli("members", "first-admin", "admin@fd76.fr", "--federation", SEINE, env=env).returncode == 0
    granted = _cli(
        "members",
        "grant",
        "membre@embruns.fr",
        "member",
        "--federation",
        SEINE,
        "--centre",
        "Association Les Embruns",
        "--as",
        "admin@fd76.fr",
        env=env,
    )
    assert granted.returncode == 0 and "membre@embruns.fr" in granted.stdout
    unknown = _cli(
        "members",
        "grant",
        "x@fd76.fr",
        "member",
        "--federation",
        SEINE,
        "--centre",
        "Nulle part",
        "--as",
        "admin@fd76.fr",
        env=env,
    )
    assert unknown.returncode == 1 and "n'existe pas" in unknown.stderr and "Traceback" not in unknown.stderr
    as_member = _cli("versions", "--json", "--as", "membre@embruns.fr", env=env)
    assert [v["centre"] for v in json.loads(as_member.stdout)] == ["Association Les Embruns"]
    other = next(v for v in json.loads(_cli("versions", "--json", env=env).stdout) if "Falaises" in v["centre"])
    refused = _cli("versions", "--delete", str(other["id"]), "--as", "membre@embruns.fr", env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert _cli("versions", "--delete", str(other["id"]), "--as", "admin@fd76.fr", env=env).returncode == 0
    deleted = _cli("versions", "--deleted", "--json", "--as", "admin@fd76.fr", env=env)
    assert [v["id"] for v in json.loads(deleted.stdout)] == [other["id"]]
    assert _cli("versions", "--restore", str(other["id"]), "--as", "admin@fd76.fr", env=env).returncode == 0
    log = _cli("audit", "--federation", SEINE, "--csv", "--as", "admin@fd76.fr", env=env)
    assert log.returncode == 0 and "restauration" in log.stdout and "membre@embruns.fr" in log.stdout
    nobody = _cli("versions", "--as", "inconnu@ailleurs.fr", env=env)
    assert nobody.returncode == 1 and "Aucun rôle" in nobody.stderr
    exported = _cli(
        "centre", "export", "Association Les Embruns", "--to", str(tmp_path / "c.zip"), "--as", "admin@fd76.fr", env=env
    )
    assert exported.returncode == 0 and zipfile.is_zipfile(tmp_path / "c.zip")
    # Issue 25.8: a centre one may not erase and a centre that does not exist get one sentence,
    # and the first is not named back.
    forbidden = _cli("centre", "erase", "association les embruns", "--as", "membre@embruns.fr", env=env)
    missing = _cli("centre", "erase", "Nulle part", "--as", "membre@embruns.fr", env=env)
    assert forbidden.returncode == missing.returncode == 1
    assert forbidden.stderr == missing.stderr and "Association Les Embruns" not in forbidden.stderr
    assert _cli("centre", "erase", "Association Les Embruns", "--as", "admin@fd76.fr", env=env).returncode == 1
    assert _cli("centre", "erase", "Association Les Embruns", "--yes", "--as", "admin@fd76.fr", env=env).returncode == 0


@pytest.mark.postgres
def test_on_postgresql_the_command_line_must_say_who_acts(pg_url):
    import os

    url = pg_url
    Store(url).dispose()
    env = {**os.environ, "VALUECHAIN_DATABASE_URL": url}
    env.pop("VALUECHAIN_USER", None)
    anonymous = _cli("import", str(EMBRUNS), env=env)
    assert anonymous.returncode == 1 and "--as" in anonymous.stderr
    assert _cli("members", "first-admin", "admin@fd76.fr", "--federation", SEINE, env=env).returncode == 0
    as_admin = _cli("import", str(EMBRUNS), "--as", "admin@fd76.fr", env=env)
    assert as_admin.returncode == 0, as_admin.stderr
    listed = _cli("versions", "--json", env={**env, "VALUECHAIN_USER": "admin@fd76.fr"})
    assert [v["federation"] for v in json.loads(listed.stdout)] == [SEINE]


@pytest.mark.postgres
def test_a_backup_of_the_federation_s_postgresql_restores_everything():
    """scripts/backup-restore.sh check: pg_dump, pg_restore into another database, and the
    versions, roles, audit log and a deleted version are all there (docs/deploiement.md)."""
    import os
    import shutil

    if postgres_reachable() is not None or not shutil.which("pg_dump"):
        pytest.skip("no local PostgreSQL with pg_dump")
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "backup-restore.sh"), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sauvegarde et restauration vérifiées" in done.stdout


def _centre_file(number: int, money: float, people: int, population: int | None = None) -> InputFile:
    from helpers import minimal_sheets, xlsx_bytes

    sheets = minimal_sheets(
        flows=[
            ["Mairie", "Jardin", "monetaire", money, "€", None],
            ["Jardin", "Voisins", "service", people, "personnes", None],
        ]
    )
    sheets["Centre"][1] = ["nom", f"Centre numéro {number}"]
    sheets["Centre"].append(["federation", "FD Six"])
    sheets["Acteurs"][1] = [f"Centre numéro {number}", "centre", "oui"]
    if population:
        sheets["Centre"].append(["habitants_territoire", population])
    return InputFile(f"six-{number}.xlsx", xlsx_bytes(sheets))


@pytest.fixture
def six_centres(url):  # noqa: F811
    """A federation of six centres: 1 000 € … 6 000 € of resources, 10 … 60 people served."""
    store = Store(url)
    owner = Access(store, User.local_owner())
    for number in range(1, 7):
        owner.import_files([_centre_file(number, 1000.0 * number, 10 * number, population=5000)])
    first_admin(store, "admin@six.fr", "FD Six")
    admin = Access(store, user_of(store, Identity("admin@six.fr", "Admin")))
    admin.grant("membre@six.fr", MEMBER, "FD Six", store.centre_of_key("Centre numéro 2")["id"])
    admin.grant("analyste@six.fr", ANALYST, "FD Six")
    yield store
    store.dispose()


def test_a_member_of_a_federation_of_six_sees_quartiles_and_its_place_never_a_row(six_centres):
    from valuechain.chain.distribution import BELOW, LOWER_MIDDLE, hazen_quantile

    member = person(six_centres, "membre@six.fr")
    assert [r["centre"] for r in member.comparison(year=2025)] == ["Centre numéro 2"]
    found, own = member.distribution(2025, "FD Six")
    by_code = {d.code: d for d in found}
    resources = by_code["resources_total"]
    # Hazen: positions 2, 3.5 and 5 of 1 000 … 6 000 € (worked by hand), as computed internally.
    six = [1000.0 * n for n in range(1, 7)]
    assert [hazen_quantile(six, q) for q in (0.25, 0.5, 0.75)] == [2000.0, 3500.0, 5000.0]
    # Issue 33.2 requires the member's own centre out of what it is shown, and published numbers
    # rounded to two significant figures: of 1 000, 3 000 … 6 000 €, positions 1.75, 3 and 4.25.
    assert (resources.count, resources.low_quartile, resources.median, resources.high_quartile) == (
        5,
        2500.0,
        4000.0,
        5300.0,
    )
    assert resources.own == 2000.0 and resources.position == BELOW  # issue 33.2: against the published numbers
    per_inhabitant = by_code["resources_per_inhabitant"]
    assert per_inhabitant.median == pytest.approx(0.8) and per_inhabitant.own == pytest.approx(0.4)  # issue 33.2
    assert by_code["people_per_thousand_euros"].median == pytest.approx(10.0)
    assert "social_value" not in by_code  # the ratio is never ranked
    # Nothing of another centre leaves the method: only numbers, and the member's own report.
    text = json.dumps([d.__dict__ for d in found], ensure_ascii=False)
    assert "Centre numéro" not in text and own["centre"] == "Centre numéro 2"
    # One centre fewer (a version deleted): five, four besides the member's, none (issue 33.2: the
    # smallest group is counted without the member's own centre); the admin, who has none, sees five.
    owner = Access(six_centres, User.local_owner())
    owner.delete(version_of(six_centres, "Centre numéro 6").id)
    assert all(d.suppressed for d in person(six_centres, "membre@six.fr").distribution(2025, "FD Six")[0])
    assert not person(six_centres, "admin@six.fr").distribution(2025, "FD Six")[0][0].suppressed
    owner.delete(version_of(six_centres, "Centre numéro 5").id)
    assert all(d.suppressed for d in person(six_centres, "admin@six.fr").distribution(2025, "FD Six")[0])
    assert LOWER_MIDDLE  # (the positions' names, imported for the reader)


def test_an_analyst_sees_letters_only_among_five_centres_or_more(six_centres):
    analyst = person(six_centres, "analyste@six.fr")
    assert sorted(r["centre"] for r in analyst.comparison(year=2025)) == [f"Centre {x}" for x in "ABCDEF"]
    assert analyst.letters_withheld(year=2025) == 0
    owner = Access(six_centres, User.local_owner())
    for number in (6, 5):
        owner.delete(version_of(six_centres, f"Centre numéro {number}").id)
    again = person(six_centres, "analyste@six.fr")
    assert again.comparison(year=2025) == [] and again.letters_withheld(year=2025) == 4
    # The owner may anonymise too: the same rule.
    assert Access(six_centres, User.local_owner()).comparison(year=2025, anonymise=True) == []


def test_the_comparison_names_the_federation_the_store_keeps_not_the_workbook_s(tmp_path):
    """An import's --federation wins over the workbook's: the comparison says the same."""
    store = Store(f"sqlite:///{tmp_path / 'tag.sqlite'}")
    owner = Access(store, User.local_owner())
    owner.import_files([InputFile.from_path(EMBRUNS)], federation="FD Exemple")
    assert [r["federation"] for r in owner.comparison(year=2025)] == ["FD Exemple"]
    store.dispose()


def test_a_comparison_taken_away_is_in_the_log_of_each_federation_it_shows(federation_store):
    """Issue 33.12: the comparison's download wrote no line in the log."""
    member = person(federation_store, "membre@embruns.fr")
    assert [r["centre"] for r in member.comparison_file(year=2025)] == ["Association Les Embruns"]
    log = [(e.person, e.action, e.detail) for e in person(federation_store, "admin@fd76.fr").audit(SEINE)]
    assert ("membre@embruns.fr", "export", "compare 2025") in log
