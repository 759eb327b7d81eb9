"""The words users read: the gettext catalogue and the sentences the program says."""
