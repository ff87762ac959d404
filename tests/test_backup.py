"""deploy/backup.sh and deploy/restore.sh on the demo, on PostgreSQL: a database restored from a
backup gives the same figures and holds the same personal data as the one it was taken from,
the reach facts included (they are left out of the dump and computed again by the restore).

Runs where the tests run on PostgreSQL (.ci/run's second pass); each database it makes is its
own, named forumdesk_backup_<random>, and dropped at the end."""

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"
)


def server_url(name: str) -> str:
    """The URL of database `name` on the server the tests use."""
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def psql(sql: str) -> None:
    subprocess.run(["psql", server_url("postgres"), "-qtAc", sql], check=True, capture_output=True)


@pytest.fixture
def databases() -> Iterator[list[str]]:
    """Names for throwaway databases; each one the test creates is dropped afterwards."""
    names = [f"forumdesk_backup_{secrets.token_hex(4)}_{index}" for index in range(3)]
    yield names
    for name in names:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(command: list[str], database: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": server_url(database),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHON": sys.executable,
        "ENV_FILE": "/nonexistent",
        **environment,
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def manage(database: str, *arguments: str) -> str:
    result = run([sys.executable, "manage.py", *arguments], database)
    assert result.returncode == 0, result.stderr
    return result.stdout


def figures(database: str) -> dict:
    """What the secretariat publishes and what the privacy page lists, as the commands print
    them: the reach in all and as of a date, and the personal data held per forum."""
    return {
        "reach": json.loads(manage(database, "reach", "--json")),
        "reach_2017_10_01": json.loads(
            manage(database, "reach", "--json", "--as-of", "2017-10-01")
        ),
        "personal_data": manage(database, "personal_data"),
    }


@needs_postgresql
def test_backup_then_restore_gives_the_same_figures(databases, tmp_path):
    source, restored, bare = databases
    psql(f'CREATE DATABASE "{source}"')
    manage(source, "migrate", "--noinput")
    manage(source, "load_demo")
    before = figures(source)
    assert before["reach"]["companies"] > 0
    assert before["reach"]["people"] > 0

    backup = run(["deploy/backup.sh", str(tmp_path)], source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith("forumdesk-")
    assert sorted(path.name for path in tmp_path.iterdir()) == [dump.name]
    assert dump.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    psql(f'CREATE DATABASE "{restored}"')
    restore = run(["deploy/restore.sh", str(dump)], restored)
    assert restore.returncode == 0, restore.stderr
    assert figures(restored) == before

    # The facts are not in the dump: restored without the rebuild, the reach reads nothing.
    psql(f'CREATE DATABASE "{bare}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", server_url(bare), str(dump)],
        check=True,
        capture_output=True,
    )
    assert json.loads(manage(bare, "reach", "--json"))["companies"] == 0


@needs_postgresql
def test_restore_refuses_a_database_that_has_tables(databases, tmp_path):
    source = databases[0]
    psql(f'CREATE DATABASE "{source}"')
    manage(source, "migrate", "--noinput")
    backup = run(["deploy/backup.sh", str(tmp_path)], source)
    assert backup.returncode == 0, backup.stderr
    tables_before = manage(source, "showmigrations", "--list")

    restore = run(["deploy/restore.sh", backup.stdout.strip()], source)

    assert restore.returncode == 2
    assert "restore into an empty one" in restore.stderr
    assert manage(source, "showmigrations", "--list") == tables_before


@needs_postgresql
def test_backup_keeps_the_newest_dumps(databases, tmp_path):
    source = databases[0]
    psql(f'CREATE DATABASE "{source}"')
    old = [tmp_path / f"forumdesk-2026010{day}T000000Z.dump" for day in range(1, 4)]
    for path in old:
        path.write_bytes(b"old")

    backup = run(["deploy/backup.sh", str(tmp_path)], source, BACKUP_KEEP="2")

    assert backup.returncode == 0, backup.stderr
    newest = Path(backup.stdout.strip()).name
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([old[2].name, newest])


@pytest.mark.parametrize("url", ["", "sqlite:///var/db.sqlite3"])
def test_scripts_refuse_what_is_not_postgresql(url, tmp_path):
    for script in ["deploy/backup.sh", "deploy/restore.sh"]:
        arguments = [str(tmp_path)] if script.endswith("backup.sh") else [__file__]
        result = subprocess.run(
            [script, *arguments],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], "DATABASE_URL": url, "ENV_FILE": "/nonexistent"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert (result.returncode, result.stdout) == (2, "")
        assert "must name a PostgreSQL database" in result.stderr
    assert list(tmp_path.iterdir()) == []
