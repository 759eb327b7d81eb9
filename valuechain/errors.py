"""Every refusal and problem the library raises, under one base, ``ValuechainError``: a
catalogue entry (``context`` and ``code``), its parameters, and ``message(lang)``, the one way
each is turned into a sentence for the user (the command line prints it, a batch's result keeps
it, the pages show it with ``markdown=True``, the user's values then escaped). All are declared
here but ``store.db.AlreadyImported``, which carries a stored version (this module sits below
the store)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, ClassVar

from valuechain.words.messages import say

if TYPE_CHECKING:
    from valuechain.model import Problem


class ValuechainError(Exception):
    """A refusal or a problem said in the catalogue's words: ``code`` in the catalogue's
    ``context``, with its ``params``."""

    context: ClassVar[str] = "unreadable"

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str, markdown: bool = False) -> str:
        return say(self.context, self.code, lang, markdown=markdown, **self.said_params(lang, markdown))

    def said_params(self, lang: str, markdown: bool) -> dict[str, object]:
        """The parameters the sentence is filled with (one may be a sentence itself)."""
        return self.params

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self):
        # Comes back whole from a worker process (``reading.guard``): the parameters are not in ``args``.
        return _restored, (type(self), self.args, self.__dict__)


def _restored(cls: type[ValuechainError], args: tuple, state: dict) -> ValuechainError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UnreadableWorkbook(ValuechainError):
    """A file that cannot be read at all: one clear sentence, no stack trace for the user."""


class StoreTooNew(ValuechainError):
    """The store's schema comes from a newer valuechain than this one."""

    def __init__(self, revision: str, head: str) -> None:
        super().__init__("store_too_new", revision=revision, head=head)
        self.revision, self.head = revision, head


class Refused(ValuechainError):
    """An operation ``access.policy.authorise`` refused: one sentence in the user's language,
    nothing of what was asked for. ``reason`` is its code."""

    context = "access_refusal"

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason, **params)
        self.reason = reason


class WorkshopError(ValuechainError):
    """Something a user asked of a workshop that cannot be done."""

    context = "workshop_error"

    def __init__(self, code: str, problem: Problem | None = None, **params: object) -> None:
        super().__init__(code, **params)
        self.problem = problem  # a row's problem (``model.Problem``), said in the user's language

    def said_params(self, lang: str, markdown: bool) -> dict[str, object]:
        if self.problem is None:
            return self.params
        return {**self.params, "reason": self.problem.message(lang)}  # in the reader's own words


@dataclass
class Refusal:
    """Why a participant's answer was not taken: which field, and the catalogue's code
    (``workshop_refusal``)."""

    field: str
    code: str
    params: dict = dataclass_field(default_factory=dict)


class AnswerRefused(ValuechainError):
    """A participant's answer that cannot be taken as it is: every field's reason, one line each."""

    context = "workshop"

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("answer_refused")
        self.refusals = refusals

    def message(self, lang: str, markdown: bool = False) -> str:
        return "\n".join(
            say(
                "workshop",
                "refusal_line",
                lang,
                markdown=markdown,
                field=say("workshop", "field_" + refusal.field, lang, markdown=markdown),
                reason=say("workshop_refusal", refusal.code, lang, markdown=markdown, **refusal.params),
            )
            for refusal in self.refusals
        )
