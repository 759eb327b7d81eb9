"""No emoji in what the app shows (issue 34.12): "⛔" was an empty box on a machine with no emoji
font (Debian's chromium as installed, many projectors' laptops). Words, or an icon the app
ships: Streamlit's Material Symbols (":material/name:", a font in Streamlit's own static files,
served offline). The strings of every page, of the dashboard's plumbing and styles, of the
library (its sentences reach pages, exports and the map) and the catalogues are read; comments
are not."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import streamlit

from helpers import ROOT

# Characters drawn as emoji by default (Unicode's Emoji_Presentation, in the Basic Multilingual
# Plane), every pictograph beyond it, and what turns a character into an emoji (variation
# selector 16, the zero-width joiner, the keycap).
_EMOJI_BMP = (
    "\u231a\u231b\u23e9\u23ea\u23eb\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615"
    + "".join(chr(c) for c in range(0x2648, 0x2654))
    + "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd"
    "\u2705\u270a\u270b\u2728\u274c\u274e\u2753\u2754\u2755\u2757\u2795\u2796\u2797\u27b0\u27bf"
    "\u2b1b\u2b1c\u2b50\u2b55"
)
EMOJI = re.compile(f"[{_EMOJI_BMP}\U0001f000-\U0001faff\ufe0f\u200d\u20e3]")
# Streamlit's emoji shortcodes (":smile:" becomes 😄 in Markdown); ":material/…:" is the shipped set.
SHORTCODE = re.compile(r"(?<![\w/]):(?!material/)[a-z0-9_+-]+:(?!\w)")

SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "dashboard").rglob("*.py")),
    *sorted((ROOT / "valuechain").rglob("*.py")),
]
STYLES = [*sorted((ROOT / "dashboard").rglob("*.css")), *sorted((ROOT / "valuechain").rglob("*.html"))]
CATALOGUES = sorted((ROOT / "valuechain" / "words" / "locale").rglob("*.po"))


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a Python file, with their lines (comments left out)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}  # f-strings' parts (3.12)
    return [(token.start[0], token.string) for token in tokens if token.type in kinds]


def _emoji_in(texts: list[tuple[int, str]], path: Path, shortcodes: bool) -> list[str]:
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for line, text in texts:
        for match in EMOJI.finditer(text):
            found.append(f"{where}:{line}: {match.group()!r} (U+{ord(match.group()):04X})")
        if shortcodes:
            found += [f"{where}:{line}: {m.group()}" for m in SHORTCODE.finditer(text)]
    return found


def test_no_emoji_in_the_strings_of_pages_dashboard_and_library():
    found = [hit for path in SOURCES for hit in _emoji_in(_strings(path), path, shortcodes=False)]
    found += [
        hit
        for path in STYLES
        for hit in _emoji_in(list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1)), path, False)
    ]
    assert found == [], "words, or a :material/…: icon, instead of:\n" + "\n".join(found)


def test_no_emoji_nor_emoji_shortcode_in_the_catalogues():
    found = []
    for path in CATALOGUES:
        lines = path.read_text(encoding="utf-8").splitlines()
        said = [(n, line) for n, line in enumerate(lines, 1) if line.startswith(("msgstr", "msgid", '"'))]
        found += _emoji_in(said, path, shortcodes=True)
    assert found == [], "words, or a :material/…: icon, instead of:\n" + "\n".join(found)


def test_the_shipped_icons_are_in_streamlit_s_own_files():
    """ ":material/…:" icons are drawn with a font Streamlit serves itself: nothing to fetch."""
    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    assert any(font.name.startswith("MaterialSymbols") for font in media.iterdir())


def test_the_check_sees_the_emoji_it_is_for(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('# a comment may say ⛔\nst.error("⛔ " + x)\nst.warning("\u26a0\ufe0f")\nst.write("→ ok")\n')
    assert [hit.split(": ", 1)[1] for hit in _emoji_in(_strings(page), page, False)] == [
        "'⛔' (U+26D4)",
        "'\ufe0f' (U+FE0F)",
    ]
    assert SHORTCODE.findall("Bravo :tada: ; :material/check: ; 12:30 ; {field} : {reason}") == [":tada:"]
