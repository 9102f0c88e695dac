"""``letdown token``, ``letdown db`` and ``letdown serve``."""

from __future__ import annotations

import click

from letdown.cli.common import App, json_option, pass_app, print_json, render_table


@click.group()
def token() -> None:
    """Bearer tokens for the JSON API."""


@token.command("create")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@json_option
@pass_app
def token_create(app: App, name: str, as_json: bool) -> None:
    """Create a token and print it (it is shown only once).

    Example: curl -H "Authorization: Bearer $(letdown token create)" http://127.0.0.1:8000/api/v1/sessions
    """
    from letdown.services.accounts import tokens

    with app.session() as db:
        household = app.household(db)
        secret, view = tokens.create(db, household.id, name=name, now=app.now())
    if as_json:
        print_json({**view.as_json(), "token": secret})
    else:
        click.echo(secret)


@token.command("list")
@json_option
@pass_app
def token_list(app: App, as_json: bool) -> None:
    """List tokens (never their secrets)."""
    from letdown.services.accounts import tokens

    with app.session() as db:
        household = app.household(db)
        views = tokens.list_tokens(db, household.id)
    if as_json:
        print_json([v.as_json() for v in views])
        return
    rows = [
        [v.id, v.name, f"{v.created_at:%Y-%m-%d %H:%M}", "revoked" if v.revoked_at else "active"]
        for v in views
    ]
    click.echo(render_table(["id", "name", "created (UTC)", "state"], rows) or "No tokens yet.")


@token.command("revoke")
@click.argument("token_id")
@pass_app
def token_revoke(app: App, token_id: str) -> None:
    """Revoke a token by its id (from ``token list``)."""
    from letdown.services.accounts import tokens

    with app.session() as db:
        household = app.household(db)
        tokens.revoke(db, household.id, token_id, now=app.now())
    click.echo(f"Revoked token {token_id}.")


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Migrate the database to the latest schema (commands also do this by themselves)."""
    from letdown.config import database_url
    from letdown.store.db import current_revision, head_revision, make_engine, upgrade

    engine = make_engine(database_url(app.db_url))
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    engine.dispose()
    if before == after:
        click.echo(f"Already at the latest schema ({after}).")
    else:
        click.echo(f"Migrated from {before or 'an empty database'} to {after} (head {head_revision()}).")


@db.command("current")
@pass_app
def db_current(app: App) -> None:
    """Print the schema revision of the database."""
    from letdown.config import database_url
    from letdown.store.db import current_revision, make_engine

    engine = make_engine(database_url(app.db_url))
    click.echo(current_revision(engine) or "empty")
    engine.dispose()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes.")
@click.option(
    "--forwarded-allow-ips",
    "forwarded",
    metavar="IPS",
    envvar="LETDOWN_FORWARDED_ALLOW_IPS",
    default="",
    help="Reverse proxies whose X-Forwarded-For/-Proto are believed: comma-separated addresses or "
    "networks, '*' for any (default: none; env LETDOWN_FORWARDED_ALLOW_IPS).",
)
@click.option(
    "--access-log/--no-access-log",
    "access_log",
    envvar="LETDOWN_ACCESS_LOG",
    default=False,
    show_default=True,
    help="Print one line per request (client, method, path, status) on stdout (env LETDOWN_ACCESS_LOG=1).",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    envvar="LETDOWN_LOG_LEVEL",
    default="warning",
    show_default=True,
    help="How much the server itself says (env LETDOWN_LOG_LEVEL).",
)
@pass_app
def serve(
    app: App, host: str, port: int, workers: int, forwarded: str, access_log: bool, log_level: str
) -> None:
    """Run the web app and the JSON API (OpenAPI at /docs and /openapi.json).

    Forwarded headers are ignored unless the connecting address is named in
    --forwarded-allow-ips: the sign-in limit counts by the real client address.
    A port already in use is refused (exit 2) before anything starts.
    """
    import os

    import uvicorn

    from letdown.api.guard import FORWARDED_ENV, TrustedProxies
    from letdown.cli.common import UserError
    from letdown.config import database_url
    from letdown.store.db import ensure_schema, make_engine

    try:
        TrustedProxies(forwarded)
    except ValueError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1], param_hint="--forwarded-allow-ips") from None
    os.environ[FORWARDED_ENV] = forwarded

    busy = _port_in_use(host, port)
    if busy:
        raise UserError(
            f"cannot listen on {host}:{port}: {busy}. Is letdown already running? "
            "Stop it, or pick another port with --port."
        )

    url = database_url(app.db_url)
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    os.environ["LETDOWN_DATABASE_URL"] = url
    click.echo(f"letdown on http://{host}:{port}/ (database: {url.split('@')[-1]})")
    if not _loopback_host(host) and os.environ.get("LETDOWN_SECURE_COOKIES", "auto") == "auto":
        click.echo(
            "Note: sign-in cookies are Secure (HTTPS only) for any address but this machine's. "
            "From a phone or another computer, put letdown behind HTTPS (deploy/Caddyfile) or, "
            "on a home network you trust, set LETDOWN_SECURE_COOKIES=0.",
            err=True,
        )
    uvicorn.run(
        "letdown.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=_log_config(log_level, access_log),
        access_log=access_log,
        # letdown reads forwarded headers itself, only from --forwarded-allow-ips (api/guard.py);
        # uvicorn's own handling would believe them from loopback by default.
        proxy_headers=False,
    )


def _loopback_host(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _port_in_use(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (in use, not this machine's), else None.

    Binds and closes a socket the way uvicorn will (``SO_REUSEADDR``), so a port left in
    TIME_WAIT by a stopped server is not mistaken for a busy one.
    """
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"unknown address ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return "the port is already in use"
            if exc.errno == errno.EADDRNOTAVAIL:
                return "that address is not one of this machine's"
            if exc.errno == errno.EACCES:
                return "permission denied (ports below 1024 need privileges)"
            return exc.strerror or str(exc)
    return None


def _log_config(level: str, access_log: bool) -> dict[str, object]:
    """uvicorn's logging set-up with the server's own level, and request lines (at INFO, on
    stdout) kept whatever that level is when ``--access-log`` asks for them."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    loggers = config["loggers"]
    loggers["uvicorn"]["level"] = level.upper()
    loggers["uvicorn.error"]["level"] = level.upper()
    loggers["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    return config
