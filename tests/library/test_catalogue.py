"""The one catalogue of words (valuechain/words/locale/*/LC_MESSAGES/valuechain.po): complete in
every language, the same placeholders everywhere, every key the code asks for present, no
user-facing dictionary left in the code, and a third language as a file."""

from __future__ import annotations

import ast
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from helpers import ROOT
from valuechain.words import catalogue

CODE = sorted([*(ROOT / "valuechain").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
CODE = [p for p in CODE if "migrations" not in p.parts]


def entries(lang: str) -> dict[tuple[str, str], str]:
    with catalogue.po_path(lang).open("rb") as handle:
        return {(m.context, m.id): m.string for m in read_po(handle) if m.id}


def placeholders(text: str) -> set[str]:
    """The values a text takes ({count|erreur|erreurs} is the count's word: it takes count)."""
    return {field.split("|")[0] for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_french_and_english_are_the_catalogue_languages_french_first():
    assert catalogue.languages()[:2] == ("fr", "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_has_every_language_with_the_same_placeholders(lang):
    reference, own = entries("fr"), entries(lang)
    assert set(own) == set(reference), set(own) ^ set(reference)
    for key, text in own.items():
        assert text.strip(), f"{lang}: {key} is empty"
        assert placeholders(text) == placeholders(reference[key]), (lang, key, text, reference[key])


def _string_calls(tree: ast.AST):
    """(function name, first string arguments) of every call in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [a.value if isinstance(a, ast.Constant) else a for a in node.args]
            yield name, args


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    known = set(entries("fr"))
    sections = {"APP": "app", "UI": "ui", "PROBLEMS": "problem", "UNREADABLE": "unreadable", "WORKSHOP": "workshop",
                "WORKSHOP_ERRORS": "workshop_error", "WORKSHOP_REFUSALS": "workshop_refusal",
                "ACCESS": "access", "ACCESS_REFUSALS": "access_refusal", "SOCIAL_VALUE": "social_value"}
    missing = []
    for path in CODE:
        for name, args in _string_calls(ast.parse(path.read_text())):
            if name == "text" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
                key = (args[0], args[1])  # catalogue.text("context", "key", lang)
            elif name == "t" and args and isinstance(args[0], str) and path.parent.name == "pages":
                key = ("app", args[0])  # the pages' t("key")
            elif name == "w" and args and isinstance(args[0], str) and path.parent.name == "pages":
                key = ("workshop", args[0])  # the workshop pages' w("key")
            elif name == "sv" and args and isinstance(args[0], str) and path.parent.name == "pages":
                key = ("social_value", args[0])  # the social value page's sv("key")
            elif name == "a" and args and isinstance(args[0], str) and path.parent.name == "pages":
                key = ("access", args[0])  # the sign-in and members pages' a("key")
            elif name == "Refused" and args and isinstance(args[0], str):
                key = ("access_refusal", args[0])  # valuechain.access.service.Refused("reason")
            elif name == "say" and len(args) >= 2 and isinstance(args[1], str) and isinstance(args[0], ast.Name):
                key = (sections.get(args[0].id, args[0].id), args[1])
            else:
                continue
            if key not in known:
                missing.append((path.name, key))
    assert missing == []


# What may stay in code: number and date mechanics, not words.
ALLOWED_LANGUAGE_DICTS = {
    ("formatting.py", "LOCALES"),  # Babel locale per language
    ("template.py", "_EXAMPLES"),  # example rows of the template: data in each language, not sentences
}


def _is_language_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) and {"fr", "en"} <= {k.value for k in node.keys if isinstance(k, ast.Constant)}


def _has_words(node: ast.AST) -> bool:
    texts = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return any(sum(c.isalpha() for c in text) >= 3 for text in texts)


def test_no_user_facing_words_are_left_in_code():
    found = []
    for path in CODE:
        tree = ast.parse(path.read_text())
        allowed_nodes = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any((path.name, getattr(t, "id", "")) in ALLOWED_LANGUAGE_DICTS for t in node.targets):
                allowed_nodes |= {id(n) for n in ast.walk(node.value)}
        for node in ast.walk(tree):
            if _is_language_dict(node) and id(node) not in allowed_nodes:
                found.append(f"{path.name}:{node.lineno} a {{'fr': …, 'en': …}} literal")
            # "X" if lang == "fr" else "Y": a text chosen by language in code
            if (isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare)
                    and any(isinstance(c, ast.Constant) and c.value in ("fr", "en") for c in node.test.comparators)
                    and path.name not in ("formatting.py", "exporting.py", "vocabulary.py")
                    and (_has_words(node.body) or _has_words(node.orelse))):
                found.append(f"{path.name}:{node.lineno} text chosen by language in code")
    assert found == []


def test_a_third_language_is_a_file_not_a_code_change(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(catalogue.LOCALE_DIR, locale)
    german = locale / "de" / "LC_MESSAGES"
    german.mkdir(parents=True)
    # A partial translation: its language name and one figure; the rest falls back to French.
    (german / "valuechain.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "language"\nmsgid "name"\nmsgstr "Deutsch"\n\n'
        'msgctxt "figure"\nmsgid "resources_total"\nmsgstr "Mobilisierte Ressourcen"\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", locale)
    for cached in (catalogue.languages, catalogue._texts):
        cached.cache_clear()
    try:
        assert catalogue.languages() == ("fr", "de", "en")
        assert catalogue.text("language", "name", "de") == "Deutsch"
        assert catalogue.text("figure", "resources_total", "de") == "Mobilisierte Ressourcen"
        assert catalogue.text("figure", "leverage", "de") == catalogue.text("figure", "leverage", "fr")
        assert catalogue.by_key("figure")["resources_total"]["de"] == "Mobilisierte Ressourcen"
    finally:
        monkeypatch.undo()
        for cached in (catalogue.languages, catalogue._texts):
            cached.cache_clear()


def test_the_catalogue_files_are_valid_po_that_gettext_tools_read(tmp_path):
    from babel.messages.mofile import write_mo

    for lang in catalogue.languages():
        with catalogue.po_path(lang).open("rb") as handle:
            catalog = read_po(handle)
        with (tmp_path / f"{lang}.mo").open("wb") as out:
            write_mo(out, catalog)  # compiles, as msgfmt would
        assert Path(tmp_path / f"{lang}.mo").stat().st_size > 1000


def test_plurals_are_words_for_the_count_never_a_parenthesis():
    from valuechain.words.messages import UI, say

    for lang in catalogue.languages():
        texts = [text for (_, _), text in entries(lang).items()]
        assert not [t for t in texts if "(s)" in t], lang
    assert say(UI, "summary_ok", "fr", name="X", warnings=1) == "X : aucune erreur, 1 avertissement."
    assert say(UI, "summary_ok", "fr", name="X", warnings=0) == "X : aucune erreur, 0 avertissement."
    assert say(UI, "summary_ok", "en", name="X", warnings=0) == "X: no error, 0 warnings."
    assert say(UI, "summary_ok", "en", name="X", warnings=3) == "X: no error, 3 warnings."
