"""Start the dashboard (``streamlit run app.py`` with the arguments given), telling Streamlit
first that this app is not a legacy ``pages/``-folder app.

Streamlit decides that once per process, when its first session starts; until app.py's own
``st.navigation`` has run, a session opened by a deep link (``/atelier``) runs that page file
alone. ``pages/shared.py`` corrects it for the first such session, but when several sessions
start at the same instant (the phones and the wall reconnecting to a restarted workshop
server) some of them miss it and show an error until reloaded. Setting it before the server
starts leaves no session in that mode. ``make run`` and ``make workshop`` start through here.

The guarded reader's workers are started here too, in the main thread before the server's
threads exist, so that the first file a user gives does not wait half a second for them.

    python scripts/serve.py --server.port 8501
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from valuechain.guard import warm_up  # noqa: E402

APP = Path(__file__).resolve().parent.parent / "app.py"

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # app.py calls st.navigation: no legacy mode
    warm_up()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())
