"""Forms on a 390×844 phone, in Debian's chromium (issue 34.1 and 34.3): the class, not the
instance. Every text and number field of the pages a phone or a director reaches (the join
code, the proposal form, Saisie's quick-add forms), half filled, gets the keyboard's Enter
("Go"): nothing typed is lost, no form is sent, Streamlit's English "Press Enter to…" never
shows, and any message is inside the screen. Then the proposal form itself: a refusal keeps
every field and is said inside the screen, "Merci !" is seen, a pasted 170-character name is cut
with a sentence, the phone's own proposals show what became of them and one waiting is
withdrawn, and what the room built is a list a phone reads. Screenshots (French and English) go
to test-artifacts/phone-*.png. Waits are for conditions, never fixed delays."""

from __future__ import annotations

import contextlib

import pytest

from support.browser import ARTIFACTS, PHONE, phone_context, require_browser, start_server, stop_server, wait_for_app
from support.room import open_on_worked_example
from valuechain.store.db import Store
from valuechain.workshop.workshops import Workshops

pytestmark = pytest.mark.browser
sync_api = require_browser()
KEY = "cle-de-l-animatrice-34"
FORM = "Qui apporte quoi, à qui ?"  # the proposal form's question: the form is drawn

# The fields a person types in: text, number, text areas, that are on the screen (a closed tab's are not).
FIELDS = """() => [...document.querySelectorAll(
    '[data-testid=stTextInput] input, [data-testid=stNumberInput] input, [data-testid=stTextArea] textarea')]
  .filter(e => e.offsetParent !== null)"""

# Every message box drawn (Streamlit's alerts), with its box on the screen.
MESSAGES = """() => [...document.querySelectorAll('[data-testid=stAlert]')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect(); return [e.innerText.trim(), r.top, r.bottom]; })"""

# The app's run state, recorded as it changes: after a key press, a run it asked for has been
# requested by the next frames; the page is settled once no run is asked for or going on.
WATCH_RUNS = """() => {
  if (window.__runs) return;
  window.__runs = [];
  const app = document.querySelector('[data-test-script-state]');
  new MutationObserver(() => window.__runs.push(app.getAttribute('data-test-script-state')))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
SETTLED = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  const app = document.querySelector('[data-test-script-state]');
  done(app.getAttribute('data-test-script-state') === 'notRunning'
       && !document.querySelector('[data-testid=stStatusWidget]')
       && !document.querySelector('[data-stale=true]'));
})))"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A room (``VALUECHAIN_ROOM=1``, a facilitator's key) on a store of this test's, with a
    workshop open on the worked example."""
    url = f"sqlite:///{tmp_path_factory.mktemp('phone-store') / 'store.sqlite'}"
    store = Store(url)
    workshops = Workshops(store)
    workshop = open_on_worked_example(workshops)
    process, address = start_server(
        tmp_path_factory, VALUECHAIN_DATABASE_URL=url, VALUECHAIN_ROOM="1", VALUECHAIN_FACILITATOR_KEY=KEY
    )
    yield address, workshops, workshop
    stop_server(process)
    store.dispose()


@contextlib.contextmanager
def _phone(browser, url: str, waits_for: str | None = None):
    """A phone's page at ``url``, drawn (and showing ``waits_for``); its browser closed after."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.goto(url)
        if waits_for:
            page.get_by_text(waits_for).wait_for(timeout=60_000)
        wait_for_app(page)
        yield page
    finally:
        context.close()


def _settle(page) -> None:
    """Until the run a key press or a click asked for (if any) is over."""
    page.wait_for_function(SETTLED, timeout=60_000, polling="raf")


def _typed(page) -> list[str]:
    """What the fields hold (a number as its value: Streamlit writes 3 as 3.00 once left)."""
    return page.evaluate(
        f"""() => ({FIELDS})().map(e => e.closest('[data-testid=stNumberInput]') && e.value !== ''
            ? String(parseFloat(e.value)) : e.value)"""
    )


def _inside_the_screen(page, where: str) -> list[str]:
    """The messages drawn, each checked to be inside the 844 px screen; their texts."""
    shown = page.evaluate(MESSAGES)
    for text, top, bottom in shown:
        assert top >= 0 and bottom <= PHONE["height"], f"{where}: {text!r} drawn at {top:.0f}–{bottom:.0f} px"
    return [text for text, _top, _bottom in shown]


def _no_english_hint(page, where: str) -> None:
    hints = page.evaluate("""() => [...document.querySelectorAll('[data-testid=InputInstructions]')]
        .filter(e => e.offsetParent !== null && /Press|Enter/.test(e.innerText)).map(e => e.innerText)""")
    assert hints == [], f"{where}: {hints}"


def _no_streamlit_english(page, where: str) -> None:
    """Streamlit's own English words for an empty list box, shown or as a placeholder."""
    said = page.evaluate("""() => document.body.innerText + ' ' + [...document.querySelectorAll('input[placeholder]')]
        .filter(e => e.value === '').map(e => e.getAttribute('placeholder')).join(' ')""")
    assert "Choose an option" not in said and "Select..." not in said, where


def _enter_in_every_field(page, where: str, at_least: int) -> None:
    """Every field on the screen half filled, then Enter in each: what was typed stays, nothing
    is sent, no English hint, and any message is inside the screen."""
    page.evaluate(WATCH_RUNS)
    page.locator("[data-testid=stFormSubmitButton]").first.wait_for(timeout=60_000)
    _settle(page)
    fields = page.locator("[data-testid=stTextInput] input:visible, [data-testid=stNumberInput] input:visible")
    page.wait_for_function(f"n => ({FIELDS})().length >= n", arg=at_least, timeout=60_000)
    _settle(page)
    count = fields.count()
    assert count >= at_least, f"{where}: {count} fields found"
    for index in range(count):
        field = fields.nth(index)
        kind = field.get_attribute("type") or "text"
        if not field.input_value():
            field.fill("3" if kind == "number" else f"Essai {index + 1}")
    typed = _typed(page)
    for index in range(count):
        field = fields.nth(index)
        field.click()
        _no_english_hint(page, f"{where}, field {index + 1} typed in")
        field.press("Enter")
        _settle(page)
        _no_english_hint(page, f"{where}, field {index + 1} after Enter")
        assert _typed(page) == typed, f"{where}: Enter in field {index + 1} lost what was typed"
        _inside_the_screen(page, f"{where}, Enter in field {index + 1}")


def test_enter_in_any_field_of_the_phone_and_director_pages_loses_nothing(room, browser):
    address, workshops, workshop = room
    # The phone's form: Enter sends nothing (the facilitator's queue stays empty).
    with _phone(browser, f"{address}/participer?code={workshop.code}", FORM) as page:
        _enter_in_every_field(page, "proposal form", at_least=3)  # a new name, how much, a word more
        # No counter to the paste's bound (1200) under a field whose help says 300.
        assert (
            page.evaluate("""() => [...document.querySelectorAll('[data-testid=InputInstructions]')]
            .filter(e => e.offsetParent !== null).map(e => e.innerText)""")
            == []
        )
        assert workshops.proposals(workshop.id) == []
        page.screenshot(path=str(ARTIFACTS / "phone-enter-form-fr.png"))
    # The join screen: Enter joins; a wrong code is said inside the screen over its field,
    # which keeps what was typed.
    with _phone(browser, f"{address}/participer") as page:
        page.evaluate(WATCH_RUNS)
        field = page.get_by_role("textbox")
        field.fill("zz99")
        _no_english_hint(page, "join code typed")
        field.press("Enter")
        page.get_by_text("Ce code ne correspond à aucun atelier").wait_for(timeout=30_000)
        _settle(page)
        assert page.get_by_role("textbox").input_value() == "ZZ99"
        assert any("aucun atelier" in text for text in _inside_the_screen(page, "join code refused"))
        page.screenshot(path=str(ARTIFACTS / "phone-join-refused-fr.png"))
        # The right code, typed and Enter: the form.
        page.get_by_role("textbox").fill(workshop.code.lower())
        page.get_by_role("textbox").press("Enter")
        page.get_by_text(FORM).wait_for(timeout=60_000)
    # A director's Saisie on a phone (the facilitator's key given once in the address).
    with _phone(browser, f"{address}/saisie?animateur={KEY}") as page:
        page.locator("[data-testid=stForm]").first.wait_for(timeout=60_000)
        wait_for_app(page)
        _enter_in_every_field(page, "Saisie", at_least=3)  # a name; a flow's quantity and value
        page.screenshot(path=str(ARTIFACTS / "phone-enter-saisie-fr.png"), full_page=True)
        # A field outside a form (the map's smallest value): Enter applies it, in no English.
        page.goto(f"{address}/carte")
        wait_for_app(page)
        page.evaluate(WATCH_RUNS)
        field = page.locator("[data-testid=stNumberInput] input").first
        field.wait_for(timeout=60_000)
        field.fill("250")
        _no_english_hint(page, "Carte, a value typed")
        field.press("Enter")
        _settle(page)
        assert float(field.input_value()) == 250
        _inside_the_screen(page, "Carte, after Enter")


def _whole(page, name: str) -> None:
    """The whole page in one picture (Streamlit scrolls inside the page, not the window): a
    screen as tall as the page, for a look, then the phone's again."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], int(height) + 40)})
    _settle(page)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(PHONE)


def _send(page) -> None:
    page.get_by_role("button", name="Envoyer").click()


def _to_whom(page, name: str, label: str = "À quelle activité, ou à qui ?") -> None:
    """Chosen in its list: nothing is chosen at first (the centre was, and got what was left)."""
    page.get_by_role("combobox", name=label).tap()  # a finger
    page.get_by_role("option").filter(has_text=name).first.click()


def test_the_phone_keeps_a_refused_form_says_merci_cuts_a_long_paste_and_withdraws(room, browser):
    address, workshops, workshop = room
    with _phone(browser, f"{address}/participer?code={workshop.code}", FORM) as page:
        who = page.get_by_role("textbox", name="… ou écrire un nouveau nom")
        comment = page.get_by_role("textbox", name="Un mot de plus ? (facultatif)")
        quantity = page.get_by_role("spinbutton", name="Combien ?")
        # A pasted 170-character name: cut to 120, said inside the screen, not sent.
        who.fill("Association " + "x" * 158)
        comment.fill("le mardi")
        quantity.fill("4")
        _send(page)
        page.get_by_text("le texte collé faisait 170 caractères").wait_for(timeout=30_000)
        _settle(page)
        # The field holds the cut name (sent back by the server with the sentence).
        page.wait_for_function("e => e.value.length === 120", arg=who.element_handle(), timeout=15_000)
        _inside_the_screen(page, "name cut")
        page.screenshot(path=str(ARTIFACTS / "phone-cut-fr.png"))
        assert workshops.proposals(workshop.id) == []
        # Refused (what it brings is missing): every field kept, the reason inside the screen.
        who.fill("Amina Traore")
        _send(page)
        page.get_by_text("Apporte quoi : à remplir.").wait_for(timeout=30_000)
        _settle(page)
        assert (who.input_value(), comment.input_value(), float(quantity.input_value())) == (
            "Amina Traore",
            "le mardi",
            4,
        )
        assert any("à remplir" in text for text in _inside_the_screen(page, "refusal"))
        page.screenshot(path=str(ARTIFACTS / "phone-refused-fr.png"))
        # Sent: "Merci !" inside the screen, a new empty form.
        page.get_by_text("Temps bénévole", exact=True).click()
        _to_whom(page, "Centre social des Tilleuls")
        _send(page)
        page.get_by_text("Merci ! « Amina Traore » est dans la file").wait_for(timeout=30_000)
        _settle(page)
        assert any(text.startswith("Merci") for text in _inside_the_screen(page, "sent"))
        _no_streamlit_english(page, "a new form")
        assert who.input_value() == ""
        page.screenshot(path=str(ARTIFACTS / "phone-sent-fr.png"))
        [proposal] = workshops.proposals(workshop.id)
        # Its own proposals: sent, then withdrawn; the facilitator's queue is empty again.
        page.get_by_text("Envoyée : dans la file de l'animateur.").wait_for(timeout=30_000)
        page.get_by_role("button", name="Retirer cette proposition").click()
        page.get_by_text("Retirée par vous.").wait_for(timeout=30_000)
        assert workshops.proposals(workshop.id) == []
        # Another one, accepted by the facilitator: the phone sees it by itself, and the room's list.
        who.fill("Jardin des Lilas")
        page.get_by_text("Dons en nature, matières, produits", exact=True).click()
        _to_whom(page, "Centre social des Tilleuls")
        _send(page)
        page.get_by_text("Merci ! « Jardin des Lilas »").wait_for(timeout=30_000)
        [second] = workshops.proposals(workshop.id)
        assert second.id != proposal.id
        workshops.accept(workshop.id, second.id)
        page.get_by_text("Acceptée : sur la carte.").wait_for(timeout=30_000)
        page.get_by_text("Ce que la salle a construit").click()
        built = page.locator("[data-testid=stExpander]")
        built.get_by_text("« Jardin des Lilas » → « Centre social des Tilleuls »").wait_for(timeout=30_000)
        assert "Institutions publiques (2) : CAF, Mairie" in " ".join(built.inner_text().split())
        page.get_by_text("« Jardin des Lilas » → « Centre social des Tilleuls »", exact=False).first.wait_for(
            timeout=30_000
        )
        built.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "phone-own-and-room-fr.png"))
        _whole(page, "phone-whole-fr.png")
        # In English too, the form as filled in French: a name typed, what comes back chosen.
        who.fill("Léa")
        page.get_by_role("combobox", name="Et qu'est-ce qui revient ? (facultatif)").tap()  # a finger
        page.get_by_role("option").filter(has_text="Financement, ventes, dons en argent").first.click()
        _settle(page)
        page.get_by_text("English", exact=True).click()
        page.get_by_text("My proposals").wait_for(timeout=30_000)
        _settle(page)
        who = page.get_by_role("textbox", name="… or type a new name")
        assert who.input_value() == "Léa"
        back = page.locator("[data-testid=stSelectbox]").filter(has_text="And what comes back?")
        shown = back.evaluate("e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")
        assert "Financement" not in shown and "Rien" not in shown, shown  # it stayed French: an unknown choice
        _no_streamlit_english(page, "the form in English")
        built.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "phone-own-and-room-en.png"))
        _whole(page, "phone-whole-en.png")
        page.get_by_role("button", name="Send").click()
        page.get_by_text("Brings what: required.", exact=False).first.wait_for(timeout=30_000)
        _settle(page)
        assert _inside_the_screen(page, "refusal (en)") == [
            "To whom: choose one in the list (or type a name).",
            "Brings what: required.",
        ]
        page.screenshot(path=str(ARTIFACTS / "phone-refused-en.png"))
