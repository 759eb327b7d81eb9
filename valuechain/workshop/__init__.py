"""Workshops kept in the store, one concern a module: ``answers`` (what a phone answers, and
what it adds once accepted), ``journal`` (every change, undo, redo), ``room`` (who is a
participant, joining, the room's limits, the facilitator's key), ``closing`` (a close
interrupted, finished or undone), ``proposals`` (the facilitator's queue), ``wall``
(the map the room sees), ``erasure`` (a centre's workshops, whole); ``workshops`` composes their
parts, on ``base``, into ``Workshops``, with a workshop's life (opened, closed into a version)."""
