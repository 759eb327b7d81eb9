"""Connexion: on a federation's server, the one page a visitor sees before signing in, after a
sign-in that cannot be taken (expired, no e-mail), or when signed in with no role yet."""

from pages.shared import sign_in_page, signed_in

sign_in_page(*signed_in())
