"""An outsider against a running server: what a visitor can send over the app's websocket
without signing in, and what must hold whatever they send. Each test starts its own server
(PostgreSQL when the machine has it, as a federation deploys it)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from support.stores import POSTGRES_URL

pytestmark = pytest.mark.postgres


async def _visit(port: int, page: str, cycles: int, query: str = "") -> int:
    """Open a websocket as a browser does, then ``cycles`` times: run ``page`` to its end and
    send Streamlit's "clear cache" message (any visitor can). Returns the runs that ended."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    finished = 0
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", max_size=None) as socket:
        pages: dict[str, str] = {}

        async def run(page_hash: str) -> None:
            nonlocal finished
            message = BackMsg()
            message.rerun_script.query_string = query
            message.rerun_script.page_script_hash = page_hash
            await socket.send(message.SerializeToString())
            while True:
                answer = ForwardMsg()
                answer.ParseFromString(await asyncio.wait_for(socket.recv(), 60))
                if answer.WhichOneof("type") == "navigation":
                    pages.update({p.url_pathname: p.page_script_hash for p in answer.navigation.app_pages})
                if answer.WhichOneof("type") == "script_finished":
                    finished += 1
                    return

        await run("")
        for _ in range(cycles):
            await run(pages[page])
            clear = BackMsg()
            clear.clear_cache = True
            await socket.send(clear.SerializeToString())
    return finished


def _connections(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()


def test_500_clear_cache_messages_leave_the_database_connections_flat(postgres_server):
    """Issue 25.2: the store is opened once per process, outside the cache any visitor may clear;
    a store dropped with its connections open would exhaust PostgreSQL for everyone."""
    engine = sa.create_engine(POSTGRES_URL, poolclass=sa.pool.NullPool)
    # Comparer asks the store at every run; warm up, then count.
    assert asyncio.run(_visit(postgres_server, "comparer", 20)) == 21
    before = _connections(engine)
    assert before >= 1  # the server's own pool is open
    assert asyncio.run(_visit(postgres_server, "comparer", 500)) == 501
    assert _connections(engine) <= before + 1
    # Every store the pages reach is the process's one: the wall and the form for a code too.
    for page in ("mur", "participer"):
        asyncio.run(_visit(postgres_server, page, 50, query="code=ABCDEF"))
    asyncio.run(_visit(postgres_server, "atelier", 50))
    assert _connections(engine) <= before + 1
