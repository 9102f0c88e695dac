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
@pass_app
def serve(app: App, host: str, port: int, workers: int, forwarded: str) -> None:
    """Run the web app and the JSON API (OpenAPI at /docs and /openapi.json).

    Forwarded headers are ignored unless the connecting address is named in
    --forwarded-allow-ips: the sign-in limit counts by the real client address.
    """
    import os

    import uvicorn

    from letdown.api.guard import FORWARDED_ENV, TrustedProxies
    from letdown.config import database_url
    from letdown.store.db import ensure_schema, make_engine

    try:
        TrustedProxies(forwarded)
    except ValueError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1], param_hint="--forwarded-allow-ips") from None
    os.environ[FORWARDED_ENV] = forwarded

    url = database_url(app.db_url)
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    os.environ["LETDOWN_DATABASE_URL"] = url
    click.echo(f"letdown on http://{host}:{port}/ (database: {url.split('@')[-1]})")
    uvicorn.run(
        "letdown.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # letdown reads forwarded headers itself, only from --forwarded-allow-ips (api/guard.py);
        # uvicorn's own handling would believe them from loopback by default.
        proxy_headers=False,
    )
