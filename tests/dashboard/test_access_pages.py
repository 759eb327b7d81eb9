"""The pages of a federation's server through Streamlit's AppTest, signed in as each role
(``AppTest.user`` is what Streamlit's signed cookie gives ``st.user``): what each one sees,
and that neither the address nor the session's state opens another centre's version."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from helpers import EMBRUNS, FALAISES, ROOT, SEINE, TISSERANDS
from support.apptest import AUTH
from valuechain.access.people import Identity, user_of
from valuechain.access.policy import ANALYST, MEMBER, User
from valuechain.access.service import Access

APP = str(ROOT / "app.py")


def signed(
    email: str | None,
    lang: str = "fr",
    page: str | None = None,
    issued: float | None = None,
    query: dict | None = None,
    **state,
) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = (
        {
            "is_logged_in": True,
            "email": email,
            "email_verified": True,
            "name": email,
            "iss": "https://sso.test",
            "sub": f"sub-{email}",
            "iat": issued or time.time(),
        }
        if email
        else {"is_logged_in": False}
    )
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py")
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if page or query:
        app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(app, kind)
    ]
    return "\n".join(str(p) for p in parts)


def version_id(store, centre: str) -> int:
    return next(v.id for v in store.versions() if v.centre == centre)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nobody_sees_anything_before_signing_in(shared, lang):
    app = signed(None, lang)
    assert [b.label for b in app.button] == [("Se connecter" if lang == "fr" else "Sign in")]
    assert app.title[0].value == ("Connexion" if lang == "fr" else "Sign in")
    for page in ("comparer", "membres", "exporter"):
        # AppTest raises its own error for a page that is not in this visit's navigation.
        with pytest.raises(Exception):  # noqa: B017
            signed(None, lang, page)
    assert "Embruns" not in texts(app) and not app.dataframe


def test_a_person_with_no_role_an_old_sign_in_and_a_provider_with_no_e_mail_are_each_told_why(shared):
    nobody = signed("inconnu@ailleurs.fr")
    assert "aucun rôle" in texts(nobody) and "administrateur de votre fédération" in texts(nobody)
    assert [b.label for b in nobody.button] == ["Se déconnecter"] and not nobody.dataframe
    old = signed("membre@embruns.fr", issued=time.time() - 3 * 24 * 3600)
    assert "expiré" in texts(old) and [b.label for b in old.button] == ["Se reconnecter"]
    no_email = signed("")
    assert "Se connecter" in [b.label for b in no_email.button]


def test_a_cookie_copied_before_signing_out_opens_nothing_afterwards(shared):
    """Issue 33.13: "Se déconnecter" deleted the cookie in the browser that clicked it, and a copy
    of it (the same signed claims: ``AppTest.user``) stayed good for 12 hours, roles given later
    included. The sign-out ends the session in the store; a new sign-in is taken. (AppTest runs
    only the page after the first run, so the button clicked is Connexion's, of a person with
    no role yet; the sidebar's, of a member, is the browser test's.)"""
    issued = time.time() - 600
    waiting = signed("nouvelle@fd76.fr", issued=issued)
    [b for b in waiting.button if b.label == "Se déconnecter"][0].click().run()
    assert not waiting.exception
    admin = Access(shared, user_of(shared, Identity("admin@fd76.fr", "Admin")))
    admin.grant("nouvelle@fd76.fr", ANALYST, SEINE)
    copied = signed("nouvelle@fd76.fr", issued=issued)
    assert "analyste de" not in texts(copied) and "fermée" in texts(copied)
    assert [b.label for b in copied.button] == ["Se reconnecter"]
    with pytest.raises(Exception):  # noqa: B017  (no page but the sign-in's in its navigation)
        signed("nouvelle@fd76.fr", page="comparer", issued=issued)
    assert "analyste de" in texts(signed("nouvelle@fd76.fr"))


def test_a_member_sees_its_centre_named_and_no_other_centre(shared):
    app = signed("membre@embruns.fr", page="comparer")
    table = app.dataframe[0].value
    assert table.iloc[:, 0].tolist() == ["Association Les Embruns"]
    # Two centres in the federation: no distribution, and the page says why.
    assert any("moins de 5, aucune distribution" in i.value for i in app.info)
    # (The header names the dashboard's own sample, Les Tisserands, which is no stored data.)
    shown = texts(app)
    assert "Falaises" not in shown and "Tilleuls" not in shown and "Montreuil" not in shown
    assert app.multiselect[0].options == ["Association Les Embruns"]
    assert [b.label for b in app.button if b.label.startswith("Supprimer")] == []  # a member deletes nothing
    assert any(b.label.startswith("Ouvrir") for b in app.button)
    home = signed("membre@embruns.fr")
    assert "membre de Association Les Embruns" in texts(home)
    assert "Membres" not in [p for p in texts(home).split("\n")]


def test_the_address_and_the_session_open_no_other_centre_s_version(shared):
    other = version_id(shared, "Maison des habitants Les Falaises")
    # ?version= of another centre: refused, and the dashboard still shows what it showed.
    app = signed("membre@embruns.fr", page="comparer", query={"version": str(other)})
    assert any("n'existe pas, ou ne vous est pas ouverte" in e.value for e in app.error)
    home = signed("membre@embruns.fr", page="accueil", query={"version": str(other)})
    assert "Falaises" not in texts(home)
    # A session that claims another centre's version was opened: its exports are refused.
    # It is refused at the very first page it reaches, and forgotten: every export is then the
    # sample's, never the claimed centre's.
    claimed = signed("membre@embruns.fr", opened_version=other)
    assert any("ne vous est pas ouverte" in e.value for e in claimed.error)
    assert not claimed.get("download_button") and "opened_version" not in claimed.session_state
    claimed.switch_page("pages/exporter.py")
    claimed.run()
    assert "Falaises" not in texts(claimed)
    assert not any("Falaises" in (b.proto.label + str(b.proto)) for b in claimed.get("download_button"))
    # A session value that looks like a role or a user changes nothing: identity is the cookie's.
    forged = signed("membre@embruns.fr", page="comparer", user="admin@fd76.fr", role="admin", person="admin@fd76.fr")
    assert forged.dataframe[0].value.iloc[:, 0].tolist() == ["Association Les Embruns"]
    own = version_id(shared, "Association Les Embruns")
    opened = signed("membre@embruns.fr", page="comparer", query={"version": str(own)})
    assert any("ouverte" in s.value for s in opened.success)
    assert "Embruns" in texts(signed("membre@embruns.fr", page="exporter", opened_version=own))


@pytest.mark.parametrize("how", ["deleted", "revoked", "erased"])
def test_a_session_stops_showing_a_stored_centre_at_the_next_click_once_it_may_not(shared, how):
    """Issue 25.4: a session kept a centre after its version was deleted, the role revoked or
    the centre erased: Carte, Chaîne and Saisie still showed it, Saisie's download gave it."""
    own = version_id(shared, "Association Les Embruns")
    member = signed("membre@embruns.fr", page="comparer", query={"version": str(own)})
    member.switch_page("pages/saisie.py")
    member.run()
    assert "Association Les Embruns" in texts(member) and member.get("download_button")
    admin = Access(shared, user_of(shared, Identity("admin@fd76.fr", "Admin")))
    if how == "deleted":
        admin.delete(own)
    elif how == "revoked":
        admin.revoke(next(r.id for r in admin.roles(SEINE) if r.person == "membre@embruns.fr"))
    else:
        admin.erase_centre(shared.centre_of_key("Association Les Embruns")["id"])
    for number, page in enumerate(("saisie", "carte", "chaine")):
        member.switch_page(f"pages/{page}.py")
        member.run()
        assert not member.exception
        assert not any("Les Embruns" in c.value for c in member.caption if c.value.startswith("Centre affiché"))
        assert "Ludothèque Pirouette" not in str(member.get("iframe")) + str(member.dataframe)
        if number == 0:  # the click that finds it gone: the sentence, nothing of the centre
            assert not member.get("download_button") and not member.get("iframe") and not member.dataframe
            if how == "deleted":  # still a member: told why
                assert any("ne vous est pas ouverte" in e.value for e in member.error)
    if how == "deleted":
        refusals = [e for e in admin.audit(SEINE) if e.action == "refused" and e.detail == f"open {own}"]
        assert refusals and refusals[0].person == "membre@embruns.fr"


def test_every_download_of_a_stored_centre_is_in_the_log(shared):
    """Issue 25.4 and 25.8: Saisie's workbook and Carte's map of a stored version are audited
    like the Exporter's files; a refused export is logged under the person's federation."""
    own = version_id(shared, "Association Les Embruns")
    member = Access(shared, user_of(shared, Identity("membre@embruns.fr", "M")))
    member.exported(own, "saisie .xlsx")
    other = version_id(shared, "Maison des habitants Les Falaises")
    assert not member.may_export(other) and not member.may_export(999_999)
    admin = Access(shared, user_of(shared, Identity("admin@fd76.fr", "Admin")))
    log = [(e.person, e.action, e.version_id, e.detail) for e in admin.audit(SEINE) if e.person == "membre@embruns.fr"]
    assert ("membre@embruns.fr", "export", own, "saisie .xlsx") in log
    assert ("membre@embruns.fr", "refused", other, "export") in log
    assert ("membre@embruns.fr", "refused", None, "export 999999") in log


def test_an_analyst_compares_with_letters_imports_and_opens_nothing(shared):
    app = signed("analyste@fd76.fr", "en", page="comparer")
    # Two centres of the federation would be two letters: fewer than five, none is shown.
    assert any("2 centres would be shown under a letter" in i.value for i in app.info)
    assert not app.dataframe or app.dataframe[0].value.empty
    assert not app.get("file_uploader") and not any(b.label.startswith("Open") for b in app.button)
    assert "compare centres, not import" in texts(app)
    exporter = signed("analyste@fd76.fr", "en", page="exporter")
    assert "No workbook of the store is open to you." in texts(exporter)
    assert any(b.label.startswith("Comparison 2025") for b in exporter.get("download_button"))


def test_an_admin_gives_and_takes_roles_restores_a_version_and_reads_the_log(shared):
    app = signed("admin@fd76.fr", page="membres")
    assert app.title[0].value == "Membres"
    app.text_input[0].set_value("nouvelle@fd76.fr")
    [s for s in app.selectbox if s.label == "Rôle"][0].set_value(ANALYST)
    [b for b in app.button if b.label == "Donner le rôle"][0].click().run()
    assert not app.exception and any("Rôle donné à nouvelle@fd76" in s.value for s in app.success)
    assert "analyste de" in texts(signed("nouvelle@fd76.fr"))
    # A member given to no centre: a clear sentence, nothing written.
    app.text_input[0].set_value("sanscentre@fd76.fr")
    [s for s in app.selectbox if s.label == "Rôle"][0].set_value(MEMBER)
    [b for b in app.button if b.label == "Donner le rôle"][0].click().run()
    assert any("n'existe pas" in e.value for e in app.error)
    # Taken away while signed in: the next step shows whom to ask, nothing else.
    member = signed("membre@embruns.fr", page="comparer")
    revoke = [b for b in app.button if b.label == "Retirer"]
    role = next(r for r in Access(shared, User.local_owner()).roles(SEINE) if r.person == "membre@embruns.fr")
    [b for b in revoke if b.key == f"revoke{role.id}"][0].click().run()
    member.run()
    assert "aucun rôle" in texts(member) and not member.dataframe
    # Deleted on Comparer, restored here.
    compare = signed("admin@fd76.fr", page="comparer")
    [s for s in compare.selectbox if s.label == "Centre"][0].set_value("Maison des habitants Les Falaises").run()
    [b for b in compare.button if b.label.startswith("Supprimer")][0].click().run()
    assert not compare.exception
    members = signed("admin@fd76.fr", page="membres")
    assert "restaurable jusqu'au" in texts(members)
    [b for b in members.button if b.label == "Rendre"][0].click().run()
    assert any("rendue" in s.value for s in members.success)
    log = members.dataframe[-1].value
    assert {"suppression", "restauration", "rôle donné", "rôle retiré"} <= set(log["Action"])


def test_every_action_the_audit_log_can_hold_goes_through_the_page_the_csv_and_a_centre_s_export(shared, tmp_path):
    """Issue 33.6: a member confirming an actor match on Évolution wrote the action ``match``,
    which had no words: the Membres page stopped before its Journal and Centres tabs, and
    ``audit --csv`` and ``centre export`` ended in "erreur du programme". Every action ``record``
    can write, and one written by a newer version, through every display and export."""
    import os
    import subprocess
    import sys
    import zipfile

    from valuechain.access import audit
    from valuechain.store.schema import AUDIT
    from valuechain.words.messages import say

    embruns = "Association Les Embruns"
    embruns_id = shared.centre_of_key(embruns)["id"]
    with shared.engine.begin() as connection:
        for action in audit.Action:
            audit.write(connection, "membre@embruns.fr", action, SEINE, embruns, None, f"detail {action}")
        connection.execute(  # as a newer version of valuechain would write it
            AUDIT.insert().values(
                at=dt.datetime.now(dt.timezone.utc),
                person="x@fd76.fr",
                action="from_the_future",
                federation=SEINE,
                centre=embruns,
                centre_id=embruns_id,
            )
        )
    words = {say("access", f"action_{action}", "fr") for action in audit.Action}
    app = signed("admin@fd76.fr", page="membres")
    shown = set(app.dataframe[-1].value["Action"])
    assert words <= shown and any("from_the_future" in cell for cell in shown)
    assert any(b.proto.label == say("access", "centre_export", "fr") for b in app.get("download_button"))
    assert any(b.label == say("access", "erase", "fr") for b in app.button)  # the Centres tab, drawn whole

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "valuechain", *args, "--as", "admin@fd76.fr"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=dict(os.environ),
        )

    for lang in ("fr", "en"):
        log = cli("audit", "--federation", SEINE, "--csv", "--lang", lang)
        assert log.returncode == 0, log.stderr
        assert (
            all(say("access", f"action_{a}", lang) in log.stdout for a in audit.Action)
            and "from_the_future" in log.stdout
        )
    assert cli("audit", "--federation", SEINE).returncode == 0
    exported = cli("centre", "export", embruns, "--to", str(tmp_path / "centre.zip"))
    assert exported.returncode == 0, exported.stderr
    written = zipfile.ZipFile(tmp_path / "centre.zip").read("audit.csv").decode()
    assert all(w in written for w in words) and "from_the_future" in written


def test_the_laptop_s_one_user_is_said_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert any("seul utilisateur" in c.value for c in app.caption)
    assert not [b for b in app.button if b.label in ("Se connecter", "Se déconnecter")]


def test_on_a_federation_s_server_a_workshop_is_resumed_only_by_the_person_who_opened_it(shared):
    from valuechain.workshop.workshops import Workshops

    app = signed("admin@fd76.fr", page="atelier", sample=FALAISES.name)
    [b for b in app.button if b.label.startswith("Ouvrir un atelier")][0].click().run()
    assert not app.exception and any("Atelier en cours" in s.value for s in app.subheader)
    [workshop] = Workshops(shared).open_ones()
    assert workshop.opened_by == "admin@fd76.fr"
    # Someone else, with the workshop's address: not theirs to run, and not listed to them.
    other = signed("membre@embruns.fr", page="atelier", query={"atelier": workshop.code})
    assert not any("Atelier en cours" in s.value for s in other.subheader)
    assert not any(b.label == "Reprendre" for b in other.button)
    again = signed("admin@fd76.fr", page="atelier", query={"atelier": workshop.code})
    assert any("Atelier en cours" in s.value for s in again.subheader)


def test_a_workshop_is_opened_only_on_a_centre_the_person_may_import_into(shared):
    """Issue 25.1: closing a workshop keeps a version of its centre, so opening one is asked of
    ``authorise`` as an import: an admin of Seine-Maritime opens none on a centre of the Drôme,
    and a member whose role was taken away opens none on the centre their session still shows."""
    from valuechain.workshop.workshops import Workshops

    app = signed("admin@fd76.fr", page="atelier", sample=TISSERANDS.name)
    [b for b in app.button if b.label.startswith("Ouvrir un atelier")][0].click().run()
    assert "Votre rôle ne vous permet pas cela pour ce centre." in [w.value for w in app.warning]
    member = signed("membre@embruns.fr", page="atelier", sample=EMBRUNS.name)
    admin = Access(shared, user_of(shared, Identity("admin@fd76.fr", "Admin")))
    [role] = [r for r in admin.roles(SEINE) if r.person == "membre@embruns.fr"]
    admin.revoke(role.id)
    [b for b in member.button if b.label.startswith("Ouvrir un atelier")][0].click().run()
    assert Workshops(shared).open_ones() == []
    assert [e.action for e in admin.audit(SEINE)].count("workshop_open") == 0


def test_the_pages_reach_the_store_only_through_access():
    """One check, in the library: no page opens the store itself or filters its versions; the
    store object is made in dashboard/visitor.py and handed only to Access, to the sign-in's role
    lookup, to the workshops and to the drafts (which hold no centre's versions)."""
    import ast

    for path in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        tree = ast.parse(path.read_text())
        calls = [
            node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        ]
        imports = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "valuechain.store.db"
            for alias in node.names
        }
        assert "Store" not in calls and "Store" not in imports, path.name
        assert "store" not in calls, f"{path.name} opens the store itself"
    plumbing = "".join(path.read_text() for path in sorted((ROOT / "dashboard").glob("*.py"))).replace(
        "def store() -> Store:", ""
    )
    calls = re.findall(r"(?<![\w.])store\(\)", plumbing)  # store(), not process_store()
    # Access(store(), …), user_of(store(), …), Workshops(store()), Drafts(store()): a person's own
    # work in progress, keyed by that person, no centre's versions.
    assert len(calls) == 4
