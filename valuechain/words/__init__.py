"""The words users read, in every language the catalogue has a file for.

``catalogue``: the gettext ``.po`` files (French the reference, plural entries with the file's
Plural-Forms); ``language``: a language's code, Babel locale, separators and plural rule, and
the one place that knows which languages exist; ``messages``: ``say``, the one way to say a
sentence, its values escaped by their type when it is meant for Markdown.
"""
