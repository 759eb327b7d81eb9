"""Every sentence the program says, said one way: ``say(context, key, lang, **params)``.

The sentence comes from the catalogue (``catalogue.py``: gettext ``.po`` files, French first);
its placeholders are filled from ``params``; a plural entry takes the form its count asks for
in that language (the count is the placeholder its ``msgid_plural`` names).

What a value may do to the sentence depends on its type, as with markupsafe's ``Markup``: our
own sentences are trusted; a sentence meant for Markdown (the dashboard: Streamlit renders its
texts as Markdown) is asked with ``markdown=True``, and then every ``str`` among the values is
data from a workbook, a file name or a person, escaped so that it shows as typed — an image, a
link, LaTeX or an icon in a centre's name stays those characters. A value already ``Markdown``
(another of our sentences, said the same way) joins as it is; numbers stay numbers.

>>> say("ui", "recomputed", "fr", count=1)
"1 version recalculée avec les définitions des chiffres d'aujourd'hui."
>>> say("ui", "recomputed", "en", count=1)
"1 version computed again with today's definitions of the figures."
>>> say("ui", "counts", "fr", actors=say("count", "actors", "fr", count=1), activities="2 activités",
...     flows="0 flux", indicators="3 indicateurs")
'1 acteur, 2 activités, 0 flux, 3 indicateurs.'
>>> print(say("app", "not_here", "en", page="*x* $y$", markdown=True))
The page “\\*x\\* \\$y\\$” is not open here.
"""

from __future__ import annotations

import re
import string

from valuechain.words import catalogue
from valuechain.words.catalogue import Plural
from valuechain.words.language import Language, language


class Markdown(str):
    """Text already written as Markdown: one of our sentences, or what was made of them."""


# Streamlit renders its texts as Markdown (images, links, emphasis, :colour[...] directives,
# LaTeX between $): each of these characters is escaped in a value that joins a sentence.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")

# Markdown also turns a bare address ("http://…", "www.…") into a link, escaped or not: a
# zero-width space after its scheme keeps it text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])")


def escape_markdown(value: object) -> Markdown:
    """A value from the user's data, as Markdown that shows it as typed, on one line."""
    text = _AUTOLINK.sub("\\1\u200b", str(value))
    # An escaped colon is still a colon once Markdown is parsed, and Streamlit then reads
    # ":material/home:" or ":smile:" as an icon: a zero-width space after each colon stops it.
    return Markdown(_MARKDOWN_SPECIALS.sub(r"\\\1", text).replace("\n", " ").replace(":", ":\u200b"))


def _as_markdown(value: object) -> object:
    if isinstance(value, Markdown) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return escape_markdown(value)


_FORMATTER = string.Formatter()


def _counted(count: int | float, spoken: Language) -> Markdown:
    """A plural entry's count in the language's digits and separators (up to two decimals:
    1,5 h), as Markdown: it holds no character Markdown reads."""
    from babel.numbers import format_decimal

    return Markdown(format_decimal(count, format="#,##0.##", locale=spoken.locale))


def say(context: str, key: str, lang: str | Language, /, *, markdown: bool = False, **params: object) -> str:
    """The sentence ``key`` of ``context`` in ``lang`` (else in French), its placeholders
    filled from ``params``; ``Markdown`` when ``markdown`` (its ``str`` values escaped).
    KeyError when the catalogue has no such entry."""
    spoken = language(lang)
    written_in, entry = catalogue.entry(context, key, spoken.code)
    if isinstance(entry, Plural):
        count = params[entry.count]
        if not isinstance(count, (int, float)):
            raise TypeError(f"{context}/{key} counts {entry.count}, given {count!r}")
        template = entry.forms[min(language(written_in).plural_form(count), len(entry.forms) - 1)]
        # A count is written as the language writes numbers: "1 842 paires", "1,842 pairs", "210".
        params = {**params, entry.count: _counted(count, spoken)}
    else:
        template = entry
    if not params and "{" not in template and "}" not in template:
        return Markdown(template) if markdown else template
    if not markdown:
        return _FORMATTER.vformat(template, (), params)
    return Markdown(_FORMATTER.vformat(template, (), {name: _as_markdown(value) for name, value in params.items()}))


def say_list(context: str, name: str, lang: str | Language, /) -> list[str]:
    """The list ``name`` of ``context`` in ``lang``, from its entries ``name.0``, ``name.1``…
    (column headers, instruction lines, the words for yes and no), each item said as ``say``
    says it: the one way a list of the catalogue is read.

    >>> say_list("yes_no", "words", "en")
    ['yes', 'no']
    """
    return [say(context, key, lang) for key in catalogue.list_keys(context, name)]


def in_every_language(context: str, key: str, /) -> tuple[str, ...]:
    """The text of ``key`` in each language of the catalogue, French first, each once: for
    reading back what any language wrote (a sheet's name, a header), never for saying.

    >>> in_every_language("result_sheet", "figures")
    ('Chiffres', 'Figures')
    """
    return tuple(dict.fromkeys(say(context, key, lang) for lang in catalogue.languages()))


def figure_name(code: str, lang: str | Language) -> str:
    """A figure's one name (``msgctxt "figure"``), everywhere it is shown."""
    return say("figure", code, lang)


def figure_definition(code: str, lang: str | Language) -> str:
    return say("figure_definition", code, lang)
