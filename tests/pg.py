"""A throwaway PostgreSQL server for the warehouse tests: Debian's binaries, no mocks.

PostgreSQL refuses to run as root, so as root the cluster is created and
started as the ``postgres`` user (``runuser``). It listens on a free port of
127.0.0.1 and a socket in its own folder, trusts local connections, and is
stopped and removed when the test session ends. :func:`turnover` fills one with
the warehouse tests' report and roles; :func:`state` is what a query could change.
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed; run 'make test' (it installs "
                           "Debian's postgresql package) or 'apt-get install postgresql'")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def server() -> Iterator[str]:
    """Start a server; yield a SQLAlchemy URL for its ``postgres`` database."""
    folder = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    data, port = folder / "data", _free_port()
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U",
                                 "postgres", "--no-sync"]), **run)  # type: ignore[call-overload]
    options = f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                                 str(folder / "log"), "start"]), **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Warehouse:
    """A running server holding an HRIS turnover report, and the URLs of its roles."""

    admin: str
    """The superuser ``postgres``: sets the server up, and is refused by ``pull``."""
    reader: str
    """``reader``: may only SELECT the two tables, as a source's connection should."""
    writer: str
    """``writer``: may also INSERT into ``hris_turnover`` (refused by ``pull``)."""
    rows: pd.DataFrame
    """The report's rows joined with the units' arms, as pandas has them."""


@contextmanager
def turnover() -> Iterator[Warehouse]:
    """A server holding one row per unit and month of a turnover report, and a lookup of
    units to arms; one role that can only read it and one that can write it."""
    rng = random.Random(20261124)
    units = pd.DataFrame({"unit": [f"U{n:02d}" for n in range(8)],
                          "arm": ["pilot"] * 4 + ["comparison"] * 4})
    rows = [(f"2026-{m:02d}-01", unit, rng.randint(0, 6), round(rng.uniform(40, 220), 1))
            for m in range(1, 10) for unit in units["unit"]]
    report = pd.DataFrame(rows, columns=["period", "unit", "leavers", "fte"])
    report["period"] = pd.to_datetime(report["period"]).dt.date
    with server() as url:
        engine = sqlalchemy.create_engine(url)
        with engine.begin() as conn:
            units.to_sql("units", conn, index=False)
            report.to_sql("hris_turnover", conn, index=False)
            conn.exec_driver_sql("CREATE ROLE reader LOGIN; CREATE ROLE writer LOGIN; "
                                 "GRANT SELECT ON units, hris_turnover TO reader, writer; "
                                 "GRANT INSERT ON hris_turnover TO writer")
        engine.dispose()
        yield Warehouse(url, url.replace("//postgres@", "//reader@"),
                        url.replace("//postgres@", "//writer@"), report.merge(units, on="unit"))


def state(url: str) -> dict[str, object]:
    """What a query could change: every table with its rows, the roles and the settings
    saved for them, each as the superuser sees it."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = [(s, t) for s, t in conn.exec_driver_sql(
                "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN "
                "('pg_catalog', 'information_schema') ORDER BY 1, 2")]
            out: dict[str, object] = {
                f"{s}.{t}": conn.exec_driver_sql(
                    f'SELECT md5(string_agg(x::text, \'|\' ORDER BY x::text)) || count(*) '
                    f'FROM "{s}"."{t}" x').scalar() for s, t in tables}
            out["roles"] = conn.exec_driver_sql(
                "SELECT string_agg(rolname || rolsuper::text, ',' ORDER BY rolname) "
                "FROM pg_roles").scalar()
            out["settings"] = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_db_role_setting").scalar()
            return out
    finally:
        engine.dispose()
