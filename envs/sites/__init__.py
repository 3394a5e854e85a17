"""Small local web sites in WebArena's spirit: a shop, a forum and an admin report site.

`start_sites(seed)` seeds one SQLite database per site from the seed, serves each
site with uvicorn on a free port of 127.0.0.1 and returns a `RunningSites`;
`RunningSites.reset()` restores the seeded data in milliseconds.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from agentc.envs.sites.admin import admin_app, seed_admin
from agentc.envs.sites.database import SiteDatabase
from agentc.envs.sites.forum import forum_app, seed_forum
from agentc.envs.sites.serving import ServerThread, serve_in_thread
from agentc.envs.sites.shop import seed_shop, shop_app

SITES: dict[str, tuple[Callable[[sqlite3.Connection, int], None], Callable[[SiteDatabase], Any]]] = {
    "shop": (seed_shop, shop_app),
    "forum": (seed_forum, forum_app),
    "admin": (seed_admin, admin_app),
}
"""Site name -> (seed function, app factory)."""


class RunningSites:
    """The live sites: their base URLs, their databases, reset and close.

    Use as a context manager (`with start_sites() as sites:`) or `async with`.
    """

    def __init__(self, seed: int, databases: dict[str, SiteDatabase], servers: dict[str, ServerThread], workdir: Path):
        self.seed = seed
        self.urls: dict[str, str] = {name: server.url for name, server in servers.items()}
        self._databases = databases
        self._servers = servers
        self._workdir = workdir

    def reset(self) -> None:
        """Restore every site's database to its seeded state."""
        for database in self._databases.values():
            database.reset()

    def db(self, site: str) -> sqlite3.Connection:
        """A new connection to `site`'s live database for backend-state checks; close it after use."""
        if site not in self._databases:
            raise KeyError(f"unknown site {site!r}; running sites: {', '.join(self._databases)}")
        return sqlite3.connect(f"file:{self._databases[site].path}?mode=ro", uri=True)

    def close(self) -> None:
        """Stop the servers and delete the databases."""
        try:
            for server in self._servers.values():
                server.stop()
        finally:
            for database in self._databases.values():
                database.close()
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> RunningSites:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> RunningSites:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


def start_sites(seed: int = 0, *, host: str = "127.0.0.1") -> RunningSites:
    """Seed and start the shop, forum and admin sites on free ports of `host`."""
    workdir = Path(tempfile.mkdtemp(prefix="agentc-sites-"))
    databases: dict[str, SiteDatabase] = {}
    servers: dict[str, ServerThread] = {}
    try:
        for name, (seed_fn, app_factory) in SITES.items():
            databases[name] = SiteDatabase(workdir / f"{name}.sqlite3", partial(seed_fn, seed=seed))
            servers[name] = serve_in_thread(app_factory(databases[name]), host=host, name=name)
    except BaseException:
        RunningSites(seed, databases, servers, workdir).close()
        raise
    return RunningSites(seed, databases, servers, workdir)
