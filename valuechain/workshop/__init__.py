"""Workshops kept in the store: the journal, the phones' answers, the room."""
