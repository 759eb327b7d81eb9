"""The one catalogue of words (valuechain/words/locale/*/LC_MESSAGES/valuechain.po): complete in
every language, the same placeholders everywhere, every key the code asks for present, no
user-facing dictionary left in the code, plurals as gettext writes them, and a third language as
a file: a pseudo-language added at run time shows in the report and on a page, with its own
number separators."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from helpers import ROOT, WORKED_EXAMPLE_FILE
from valuechain.words import catalogue
from valuechain.words.messages import say

CODE = sorted(
    [
        *(ROOT / "valuechain").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "dashboard").rglob("*.py"),
        ROOT / "app.py",
    ]
)
CODE = [p for p in CODE if "migrations" not in p.parts]


def entries(lang: str) -> dict[tuple[str, str], str | tuple[str, ...]]:
    """(context, key) → text, or the forms of a plural entry."""
    with catalogue.po_path(lang).open("rb") as handle:
        return {(m.context, m.id[0] if m.pluralizable else m.id): m.string for m in read_po(handle) if m.id}


def placeholders(text: str | tuple[str, ...]) -> set[str]:
    """The values a text takes (every form of a plural entry)."""
    forms = (text,) if isinstance(text, str) else text
    return {field for form in forms for _, field, _, _ in string.Formatter().parse(form) if field is not None}


def test_french_and_english_are_the_catalogue_languages_french_first():
    assert catalogue.languages()[:2] == ("fr", "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_has_every_language_with_the_same_placeholders(lang):
    reference, own = entries("fr"), entries(lang)
    assert set(own) == set(reference), set(own) ^ set(reference)
    for key, text in own.items():
        assert all(form.strip() for form in ((text,) if isinstance(text, str) else text)), f"{lang}: {key} is empty"
        assert type(text) is type(reference[key]), f"{lang}: {key} is a plural entry in one language only"
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
    missing = []
    asked = 0
    for path in CODE:
        for name, args in _string_calls(ast.parse(path.read_text())):
            if name in ("say", "text") and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
                key = (args[0], args[1])  # say("context", "key", …), in the library and on the pages alike
            elif name == "Refused" and args and isinstance(args[0], str):
                key = ("access_refusal", args[0])  # valuechain.errors.Refused("reason")
            else:
                continue
            asked += 1
            if key not in known:
                missing.append((path.name, key))
    assert missing == [] and asked > 300


def _imports_the_catalogue(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "valuechain.words.catalogue" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (
            node.module == "valuechain.words.catalogue"
            or (node.module == "valuechain.words" and any(a.name == "catalogue" for a in node.names))
        ):
            return True
    return False


def test_only_the_words_package_reads_the_catalogue_everything_else_says():
    """One way to say a sentence: ``say`` (and ``say_list`` for a list), never the catalogue's
    entries read as dictionaries elsewhere."""
    words = ROOT / "valuechain" / "words"
    readers = [
        str(path.relative_to(ROOT))
        for path in CODE
        if words not in path.parents and _imports_the_catalogue(ast.parse(path.read_text()))
    ]
    assert readers == []


# What may stay in code: number and date mechanics, not words.
ALLOWED_LANGUAGE_DICTS = {
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
            if isinstance(node, ast.Assign) and any(
                (path.name, getattr(t, "id", "")) in ALLOWED_LANGUAGE_DICTS for t in node.targets
            ):
                allowed_nodes |= {id(n) for n in ast.walk(node.value)}
        for node in ast.walk(tree):
            if _is_language_dict(node) and id(node) not in allowed_nodes:
                found.append(f"{path.name}:{node.lineno} a {{'fr': …, 'en': …}} literal")
            # "X" if lang == "fr" else "Y": a text chosen by language in code
            if (
                isinstance(node, ast.IfExp)
                and isinstance(node.test, ast.Compare)
                and any(isinstance(c, ast.Constant) and c.value in ("fr", "en") for c in node.test.comparators)
                and path.name not in ("formatting.py", "exporting.py", "vocabulary.py")
                and (_has_words(node.body) or _has_words(node.orelse))
            ):
                found.append(f"{path.name}:{node.lineno} text chosen by language in code")
    assert found == []


def test_a_third_language_is_a_file_not_a_code_change(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(catalogue.PACKAGED_LOCALE_DIR, locale)
    german = locale / "de" / "LC_MESSAGES"
    german.mkdir(parents=True)
    # A partial translation: its language name and one figure; the rest falls back to French.
    (german / "valuechain.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "language"\nmsgid "name"\nmsgstr "Deutsch"\n\n'
        'msgctxt "figure"\nmsgid "resources_total"\nmsgstr "Mobilisierte Ressourcen"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(catalogue.LOCALE_DIR_VARIABLE, str(locale))
    from valuechain.media import formatting as fmt
    from valuechain.words.language import language

    assert catalogue.languages() == ("fr", "de", "en")
    assert catalogue.text("language", "name", "de") == "Deutsch"
    assert catalogue.text("figure", "resources_total", "de") == "Mobilisierte Ressourcen"
    assert catalogue.text("figure", "leverage", "de") == catalogue.text("figure", "leverage", "fr")
    assert catalogue.by_key("figure")["resources_total"]["de"] == "Mobilisierte Ressourcen"
    # Its numbers are German at once (Babel's locale of the file's folder); what it does not
    # translate is said in French, plural forms with French's rule.
    assert fmt.money(1234.5, "de") == "1.234,50\u00a0€" and language("de").decimal == ","
    assert say("ui", "recomputed", "de", count=1).startswith("1 version recalculée")


def test_the_catalogue_files_are_valid_po_that_gettext_tools_read(tmp_path):
    from babel.messages.mofile import write_mo

    for lang in catalogue.languages():
        with catalogue.po_path(lang).open("rb") as handle:
            catalog = read_po(handle)
        with (tmp_path / f"{lang}.mo").open("wb") as out:
            write_mo(out, catalog)  # compiles, as msgfmt would
        assert Path(tmp_path / f"{lang}.mo").stat().st_size > 1000


def _forms(lang: str) -> list[str]:
    return [form for text in entries(lang).values() for form in ((text,) if isinstance(text, str) else text)]


def test_plurals_are_words_for_the_count_never_a_parenthesis():
    def warnings(lang: str, count: int) -> str:
        return say("count", "warnings", lang, count=count)

    for lang in catalogue.languages():
        assert not [t for t in _forms(lang) if "(s)" in t], lang
    assert say("ui", "summary_ok", "fr", name="X", warnings=warnings("fr", 1)) == "X : aucune erreur, 1 avertissement."
    assert say("ui", "summary_ok", "fr", name="X", warnings=warnings("fr", 0)) == "X : aucune erreur, 0 avertissement."
    assert say("ui", "summary_ok", "en", name="X", warnings=warnings("en", 0)) == "X: no error, 0 warnings."
    assert say("ui", "summary_ok", "en", name="X", warnings=warnings("en", 3)) == "X: no error, 3 warnings."


def test_plurals_are_gettext_entries_chosen_by_the_files_plural_forms():
    """No home-made {n|a|b} left: a counted sentence is a msgid_plural entry, its form chosen
    by the file's Plural-Forms header (French: n > 1, so 0 and 1 are singular)."""
    for lang in catalogue.languages():
        assert not [t for t in _forms(lang) if re.search(r"\{\w+\|", t)], lang
        assert catalogue.header(lang).num_plurals == 2
    assert say("benchmark", "letters_withheld", "fr", count=1, minimum=5).startswith("1 centre serait montré")
    assert say("benchmark", "letters_withheld", "en", count=1, minimum=5).startswith("1 centre would be shown")
    assert say("evolution", "matched_by_id", "fr", count=0).startswith("0 acteur ou activité reconnu")
    assert say("evolution", "matched_by_id", "en", count=0).startswith("0 actors and activities recognised")
    assert say("count", "indicators", "fr", count=1) == "1 indicateur"


def test_values_are_escaped_by_their_type_when_the_sentence_is_markdown():
    from valuechain.words.messages import Markdown

    federation = "![x](http://outside.example/x.png) $x^2$ [lien](http://outside.example)"
    said = say("benchmark", "title", "fr", markdown=True, federation=federation, year=2025)
    assert isinstance(said, Markdown)
    assert not re.search(r"(?<!\\)[!\[\]()$]", said.split("«")[1]), said  # every mark of the value escaped
    assert say("benchmark", "title", "fr", federation=federation, year=2025).count(federation) == 1  # plain text: as is
    # Our own sentence joins another as it is; a number stays a number (its plural form follows it).
    inner = say("count", "errors", "fr", markdown=True, count=2)
    outer = say(
        "app",
        "problems_summary",
        "fr",
        markdown=True,
        errors=inner,
        warnings=say("count", "warnings", "fr", markdown=True, count=1),
    )
    assert outer.startswith("2 erreurs (") and "1 avertissement (" in outer


def _pseudo_language(tmp_path: Path) -> Path:
    """The packaged catalogue plus German as a pseudo-translation of the English file: every
    text wrapped in ⟦ ⟧, its placeholders kept; German's numbers come from Babel's locale."""
    from babel.messages.pofile import write_po

    locale = tmp_path / "locale"
    shutil.copytree(catalogue.PACKAGED_LOCALE_DIR, locale)
    with (catalogue.PACKAGED_LOCALE_DIR / "en" / "LC_MESSAGES" / "valuechain.po").open("rb") as handle:
        pseudo = read_po(handle, locale="de")
    for message in pseudo:
        if message.id:
            message.string = (
                tuple(f"⟦{form}⟧" for form in message.string) if message.pluralizable else f"⟦{message.string}⟧"
            )
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    with (locale / "de" / "LC_MESSAGES" / "valuechain.po").open("wb") as out:
        write_po(out, pseudo)
    return locale


def _run_with_catalogue(locale: Path, code: str) -> str:
    """``code`` run by a new Python with the catalogue in ``locale``, as a server started with
    ``VALUECHAIN_LOCALE_DIR`` would be: every module reads the languages it finds then."""
    environment = {**os.environ, catalogue.LOCALE_DIR_VARIABLE: str(locale)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_pseudo_language_added_at_run_time_shows_in_the_report_with_its_own_numbers(tmp_path):
    locale = _pseudo_language(tmp_path)
    report = _run_with_catalogue(
        locale,
        f"""
from valuechain import load_paths
from valuechain.chain.analysis import analyse
from valuechain.media.report import text_report
print(text_report(analyse(load_paths([{str(WORKED_EXAMPLE_FILE)!r}])), "de"))
from valuechain.vocabulary import CATEGORIES
print(CATEGORIES.label("benevoles", "de"))
""",
    )
    assert report.splitlines()[-1] == "⟦Volunteers⟧"  # a vocabulary's label, in the pseudo-language
    assert report.splitlines()[0].startswith("⟦") and "Centre social des Tilleuls" in report.splitlines()[0]
    assert "⟦6 direct partners⟧" in report  # a plural entry, in the pseudo-language
    assert "50.965,60\u00a0€" in report and "11,71\u00a0%" in report  # German separators, from Babel


def test_a_pseudo_language_added_at_run_time_shows_on_a_page_with_its_own_numbers(tmp_path):
    locale = _pseudo_language(tmp_path)
    shown = json.loads(
        _run_with_catalogue(
            locale,
            f"""
import json, sys
sys.path[:0] = [{str(ROOT / "tests")!r}, {str(ROOT)!r}]
from support.apptest import open_app
app = open_app("de", {WORKED_EXAMPLE_FILE.name!r})
app.switch_page("pages/contributions.py").run()
assert not app.exception, [e.message for e in app.exception]
print(json.dumps({{"metrics": {{m.label: m.value for m in app.metric}},
                  "texts": [e.value for e in (*app.title, *app.subheader, *app.caption, *app.info)]}}))
""",
        ).splitlines()[-1]
    )
    assert all(label.startswith("⟦") for label in shown["metrics"]), shown["metrics"]
    assert any(text.startswith("⟦") for text in shown["texts"])
    assert "50.965,60\u00a0€" in shown["metrics"].values() and "11,71\u00a0%" in shown["metrics"].values()
