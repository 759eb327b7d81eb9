"""Start the dashboard (``streamlit run app.py`` with the arguments given), telling Streamlit
first that this app is not a legacy ``pages/``-folder app.

Streamlit decides that once per process, when its first session starts; until app.py's own
``st.navigation`` has run, a session opened by a deep link (``/atelier``) runs that page file
alone. ``dashboard.routing.through_app`` corrects it for the first such session, but when several sessions
start at the same instant (the phones and the wall reconnecting to a restarted workshop
server) some of them miss it and show an error until reloaded. Setting it before the server
starts leaves no session in that mode. ``make run`` and ``make workshop`` start through here.

The guarded reader's workers are started here too, in the main thread before the server's
threads exist, so that the first file a user gives does not wait half a second for them.

    python scripts/serve.py --server.port 8501
"""

import os
import sys
from pathlib import Path

from streamlit import net_util
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard.state import FACILITATOR_KEY_PARAM  # noqa: E402
from valuechain.reading.guard import warm_up  # noqa: E402
from valuechain.workshop.room import (  # noqa: E402
    FACILITATOR_KEY_VARIABLE,
    KEY_MIN_LENGTH,
    new_facilitator_key,
    room_mode,
    weak_key,
)

APP = Path(__file__).resolve().parent.parent / "app.py"


def _port(arguments: list[str]) -> str:
    for number, argument in enumerate(arguments):
        if argument == "--server.port" and number + 1 < len(arguments):
            return arguments[number + 1]
        if argument.startswith("--server.port="):
            return argument.split("=", 1)[1]
    return "8501"


if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # app.py calls st.navigation: no legacy mode
    # Listening on the room's network, Streamlit would ask a public service for this machine's
    # Internet address to print it: a workshop runs with no Internet, and calls no one.
    net_util.get_external_ip = lambda: None
    if room_mode():
        # The facilitator is whoever holds this key, not whoever connects from this machine:
        # behind a reverse proxy every phone would come from it.
        key = os.environ.get(FACILITATOR_KEY_VARIABLE) or new_facilitator_key()
        if weak_key(key):  # nobody would be facilitator (valuechain.workshop.room.facilitator_key)
            sys.exit(
                f"{FACILITATOR_KEY_VARIABLE} : clé trop faible / key too weak "
                f"(≥ {KEY_MIN_LENGTH} caractères, {KEY_MIN_LENGTH // 2} différents, lettres et chiffres ou signes)"
            )
        os.environ[FACILITATOR_KEY_VARIABLE] = key
        print(
            f"\n  Animateur / facilitator: http://localhost:{_port(sys.argv[1:])}/atelier?{FACILITATOR_KEY_PARAM}={key}\n"
            "  (cette adresse donne la main sur l'atelier : ne la projetez pas, ne la donnez pas / "
            "this address runs the workshop: do not show it, do not share it)\n",
            flush=True,
        )
    warm_up()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())
