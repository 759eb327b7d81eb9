"""Connexion: on a federation's server, the one page a visitor sees before signing in, after a
sign-in that cannot be taken (expired, no e-mail), or when signed in with no role yet."""

from dashboard.routing import through_app
from dashboard.visitor import sign_in_page, signed_in

through_app()
sign_in_page(*signed_in())
