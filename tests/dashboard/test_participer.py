"""The phone's form through AppTest (issue 34.1 and 34.3): Enter never sends it (a form that
asks for its button), a long paste is cut with a sentence and not sent, a refusal keeps every
field, the phone's own proposals show what became of them and one waiting is withdrawn, and
what the room built is a list. The browser's side (Enter pressed, the message inside the
screen) is tests/browser/test_phone_forms.py."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from support.apptest import open_address
from support.room import open_workshop
from valuechain.workshop.answers import Answer


def _field(app: AppTest, label: str):
    return next(t for t in app.text_input if t.label == label)


def _spaced(texts) -> list[str]:
    """Texts with their spaces as plain ones (French puts non-breaking ones before ":" and in « »)."""
    return [" ".join(str(text).split()) for text in texts]


def _to_whom(app: AppTest):
    return next(s for s in app.selectbox if _spaced([s.label]) == ["À quelle activité, ou à qui ?"])


def _send(app: AppTest) -> AppTest:
    next(b for b in app.button if b.label == "Envoyer").click().run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_the_form_is_sent_by_its_button_only_and_says_nothing_in_english(room_store):
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    # Streamlit's forms send on Enter, and say so in English ("Press Enter to submit form").
    assert [f.proto.form.enter_to_submit for f in phone.get("form")] == [False]


def test_a_long_paste_is_cut_with_a_sentence_and_a_refusal_keeps_every_field(room_store):
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    _field(phone, "… ou écrire un nouveau nom").input("Association " + "x" * 158)
    _field(phone, "Un mot de plus ? (facultatif)").input("le mardi")
    _send(phone)
    assert _spaced(w.value for w in phone.warning) == [
        "« Qui » : le texte collé faisait 170 caractères ; il est coupé à 120. Relisez-le, puis envoyez."
    ]
    assert len(_field(phone, "… ou écrire un nouveau nom").value) == 120
    assert workshops.proposals(workshop.id) == []  # not sent: read first
    _field(phone, "… ou écrire un nouveau nom").input("Amina Traore")
    _send(phone)
    assert _spaced(e.value for e in phone.error) == [
        "À qui : à choisir dans la liste (ou écrire un nom).",
        "Apporte quoi : à remplir.",
    ]
    assert _field(phone, "… ou écrire un nouveau nom").value == "Amina Traore"
    assert _field(phone, "Un mot de plus ? (facultatif)").value == "le mardi"
    phone.radio[0].set_value("benevolat")
    _to_whom(phone).set_value("Centre social des Tilleuls")
    _send(phone)
    assert [s.value for s in phone.success][0].startswith("Merci ! « Amina Traore »")
    assert _field(phone, "… ou écrire un nouveau nom").value == ""  # a new, empty form
    assert [p.answer.who for p in workshops.proposals(workshop.id)] == ["Amina Traore"]


def test_the_phone_sees_its_proposals_withdraws_one_and_reads_what_the_room_built(room_store):
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    token = phone.query_params["p"]
    token = token[0] if isinstance(token, list) else token  # the phone's key, in its address

    kept = workshops.propose(workshop.code, token, Answer(who="Jardin des Lilas", nature="nature", target="CAF"))
    waiting = workshops.propose(workshop.code, token, Answer(who="Marie", nature="benevolat", target="Mairie"))
    workshops.accept(workshop.id, kept)
    phone.run()
    captions = _spaced(c.value for c in phone.caption)
    assert "Acceptée : sur la carte." in captions and "Envoyée : dans la file de l'animateur." in captions
    next(b for b in phone.button if b.label == "Retirer cette proposition").click().run()
    assert not phone.exception
    assert _spaced(s.value for s in phone.success) == [
        "Proposition retirée : elle n'est plus dans la file de l'animateur."
    ]
    assert "Retirée par vous." in _spaced(c.value for c in phone.caption)
    assert workshops.proposals(workshop.id) == [] and waiting
    built = next(e for e in phone.expander if e.label.startswith("Ce que la salle a construit"))
    said = _spaced(m.value for m in built.markdown)
    assert "- « Jardin des Lilas » → « CAF » : Dons en nature, matières, produits" in said
    assert "**Institutions publiques** (2) : CAF, Mairie" in said


def test_to_whom_starts_empty_each_time_and_left_empty_is_refused_with_every_field_kept(room_store):
    """Left on "Choisir dans la liste", the proposal went to the centre without a word, and
    after one send the centre came back chosen."""
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    assert _to_whom(phone).value is None
    _field(phone, "… ou écrire un nouveau nom").input("Amina Traore")
    phone.radio[0].set_value("benevolat")
    _send(phone)
    assert _spaced(e.value for e in phone.error) == ["À qui : à choisir dans la liste (ou écrire un nom)."]
    assert phone.get("iframe")  # the refusal is scrolled into the screen, as every refusal
    assert _field(phone, "… ou écrire un nouveau nom").value == "Amina Traore" and phone.radio[0].value == "benevolat"
    assert workshops.proposals(workshop.id) == []
    _to_whom(phone).set_value("Mairie")
    _send(phone)
    assert [(p.answer.who, p.answer.target) for p in workshops.proposals(workshop.id)] == [("Amina Traore", "Mairie")]
    assert _to_whom(phone).value is None  # the new form: nothing chosen again


def test_a_negative_amount_is_refused_in_our_words_above_the_form(room_store):
    """Streamlit said "Error: Number is below the allowed range…" in English under the field."""
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    [amount] = [n for n in phone.number_input if _spaced([n.label]) == ["Combien ? (facultatif)"]]
    assert not amount.proto.has_min and not amount.proto.has_max  # no range of Streamlit's to check
    _field(phone, "… ou écrire un nouveau nom").input("Amina Traore")
    phone.radio[0].set_value("benevolat")
    _to_whom(phone).set_value("Mairie")
    amount.set_value(-5.0)
    _send(phone)
    [said] = _spaced(e.value for e in phone.error)
    assert said.startswith("Combien : un nombre entre 0 et")
    assert [n for n in phone.number_input if _spaced([n.label]) == ["Combien ? (facultatif)"]][0].value == -5.0  # kept
    assert workshops.proposals(workshop.id) == []
