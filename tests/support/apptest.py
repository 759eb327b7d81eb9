"""The app under Streamlit's AppTest, opened and driven as the page tests do."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from helpers import ROOT

APP = str(ROOT / "app.py")
# A federation's server: Streamlit asks for these to sign in (AppTest never reaches the provider).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "valuechain",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def open_app(lang: str = "fr", sample: str | None = None, *, timeout: float = 60, **state) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.session_state["lang"] = lang
    if sample:
        app.session_state["sample"] = sample
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def open_address(page: str | None = None, **query) -> AppTest:
    """The app opened at an address (``?code=…``, ``?fin=…``), as a phone or a reloaded wall
    opens it: a new session, then ``page`` if given."""
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    if page is not None:
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def visit(app: AppTest, page: str) -> AppTest:
    if page != "accueil":
        app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def upload(app: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    """What the file uploader does, through the session: the page handles both the same way."""
    app.session_state["incoming_files"] = files
    app.radio[0].set_value(app.radio[0].options[1]).run()
    assert not app.exception, [e.message for e in app.exception]
    return app
