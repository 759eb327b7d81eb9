"""The dashboard's plumbing: what the pages (``pages/``) share, one concern a module. Nothing
is computed here (the library, ``valuechain``, does it). Importing these modules changes nothing
in Streamlit: ``routing`` holds the only changes, made when app.py and the pages call them."""
