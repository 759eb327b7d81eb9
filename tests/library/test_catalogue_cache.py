"""The catalogue as kept between processes (issue 35): what Babel read of a ``.po`` file, kept
as JSON under the file's SHA-256 so that a start does not parse both files again. The kept
copy must say exactly what the file says; an edited file is read again; a cache that is
broken, foreign or unwritable costs time, never a word."""

from __future__ import annotations

import json
import shutil

import pytest

from valuechain.words import catalogue

read = catalogue._parsed.__wrapped__  # the function itself, not its per-process memory


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalogue.CACHE_DIR_VARIABLE, str(folder))
    return folder


def test_the_kept_copy_says_what_the_file_says(cache):
    for lang in catalogue.languages():
        parsed = read(catalogue.PACKAGED_LOCALE_DIR, lang)  # parsed, then kept
        assert len(list(cache.glob(f"catalogue-*-{lang}-*.json"))) == 1
        kept = read(catalogue.PACKAGED_LOCALE_DIR, lang)  # read back from the cache
        assert kept == parsed
        header, entries = kept
        assert header.num_plurals == 2 and header.locale is not None and header.locale.language == lang
        assert any(isinstance(found, catalogue.Plural) for found in entries.values())
        assert len(entries) > 1000


def test_an_edited_file_is_read_again(cache, tmp_path):
    folder = tmp_path / "locale"
    shutil.copytree(catalogue.PACKAGED_LOCALE_DIR, folder)
    po = folder / "fr" / "LC_MESSAGES" / "valuechain.po"
    before = read(folder, "fr")[1][("ui", "no_files")]
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgctxt "ui"\nmsgid "cache_probe"\nmsgstr "Relu après modification"\n',
        encoding="utf-8",
    )
    _, entries = read(folder, "fr")
    assert entries[("ui", "cache_probe")] == "Relu après modification"
    assert entries[("ui", "no_files")] == before
    assert len(list(cache.glob("catalogue-*-fr-*.json"))) == 2  # one per version of the file


def test_a_broken_or_foreign_cache_file_is_not_believed(cache):
    header, entries = read(catalogue.PACKAGED_LOCALE_DIR, "en")
    (kept,) = cache.glob("catalogue-*-en-*.json")
    for damaged in ("{not json", json.dumps({"entries": "nothing"}), json.dumps([1, 2, 3]), ""):
        kept.write_text(damaged, encoding="utf-8")
        assert read(catalogue.PACKAGED_LOCALE_DIR, "en") == (header, entries)


def test_an_unwritable_cache_still_speaks(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(catalogue.CACHE_DIR_VARIABLE, str(blocked / "cache"))
    header, entries = read(catalogue.PACKAGED_LOCALE_DIR, "fr")
    assert header.num_plurals == 2 and entries[("language", "name")] == "Français"
