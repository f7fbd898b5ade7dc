"""The benchmark's own PostgreSQL database (created when missing, migrated) and broker."""

import os

import dj_database_url
import psycopg
from django.core.management import call_command
from django.db import connection

from rebox.bench.runner import DEFAULT_BROKER_URL


def database_prepare(*, say) -> None:
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in url["ENGINE"]:
        raise RuntimeError("the benchmark runs on PostgreSQL: set REBOX_BENCH_DATABASE_URL")
    name = url["NAME"]
    maintenance = psycopg.connect(
        dbname="postgres", host=url["HOST"] or None, port=url["PORT"] or None,
        user=url["USER"] or None, password=url["PASSWORD"] or None, autocommit=True,
        connect_timeout=5)
    with maintenance:
        if not maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                   [name]).fetchone():
            say(f"   creating database {name}")
            maintenance.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)
    connection.close()


def broker_flush() -> None:
    """Empty the benchmark's Redis database: nothing consumes the queued outbox jobs."""
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if url != DEFAULT_BROKER_URL:
        return  # someone else's broker: leave it alone
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.ConnectionError as exc:
        raise RuntimeError(f"Redis does not answer at {url}: {exc}") from exc
    finally:
        client.close()
