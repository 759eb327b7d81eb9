"""The centre's accounts in: a FEC (or a ledger export with its columns) read line by line
(``fec``), and the value chain the accounts show proposed from it (``propose``)."""
