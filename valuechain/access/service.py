"""``Access``: the store as one person may use it, the only way the pages and the command line
reach its centres and versions. Every method asks the one rule (``policy.authorise``, through
``AccessBase.require`` and ``decide``) before it acts, and what changes or reads a centre's data
is written to the audit log. One part per concern, each in its own module."""

from __future__ import annotations

from valuechain.access.comparison import ComparisonPart
from valuechain.access.erasure import ErasurePart
from valuechain.access.evolution import EvolutionPart
from valuechain.access.imports import ImportsPart
from valuechain.access.members import MembersPart
from valuechain.access.versions import VersionsPart


class Access(VersionsPart, ComparisonPart, EvolutionPart, ImportsPart, ErasurePart, MembersPart):
    """The store as ``user`` may use it (``Access(store, user)``): a centre's versions, the
    comparison and distributions, a centre's evolution, imports and workshops, a centre whole
    (GDPR), a federation's members and audit log."""
