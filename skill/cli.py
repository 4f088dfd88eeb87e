"""The ``movement-snacks`` command (DESIGN.md section 4).

Each sub-command imports its heavy parts only when it runs, so ``chat`` never
loads Flask and no command loads the audio build tools unless asked.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from skill.settings import Settings


@click.group()
def main() -> None:
    """Movement Snacks: gentle micro-mobility guidance for Alexa."""


@main.command()
@click.option("--store", "store_url", default=None, help="sqlite:///PATH or dynamodb://TABLE")
@click.option("--locale", default="en-US", show_default=True)
@click.option(
    "--grant-reminders",
    is_flag=True,
    help="Grant the reminders permission when asked (else a terminal asks y/n; piped: no).",
)
def chat(store_url: str | None, locale: str, grant_reminders: bool) -> None:
    """Talk to the skill in this terminal (reads stdin line by line when piped)."""
    from skill.chat.repl import run_chat
    from skill.salt import SaltError

    try:
        run_chat(store_url=store_url, locale=locale, grant_reminders=grant_reminders)
    except SaltError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--store", "store_url", default=None, help="sqlite:///PATH or dynamodb://TABLE")
@click.option(
    "--no-verify",
    is_flag=True,
    help="Accept unsigned requests (local testing on loopback only; warns loudly).",
)
def serve(host: str, port: int, store_url: str | None, no_verify: bool) -> None:
    """Serve the skill as an Alexa web endpoint (plain HTTP: put a TLS proxy in front).

    Runs on waitress, a production WSGI server in pure Python, rather than Flask's
    development server; port 0 picks a free port (the "Serving on" line names it).
    With verification on it needs SKILL_ID; the user-key salt comes from USER_KEY_SALT
    or, for the embedded SQLite store, from the salt file beside it (skill/salt.py).
    """
    from skill.progress.factory import store_from_settings
    from skill.web import create_app, make_server

    settings = _settings(store_url)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The same levels as on Lambda: botocore at DEBUG would log whole items.
    settings.configure_logging()
    if not no_verify and not settings.skill_id:
        raise click.UsageError(SKILL_ID_REQUIRED)
    settings = _salted(settings)
    app = create_app(settings, store_from_settings(settings), verify=not no_verify)
    server = make_server(app, host=host, port=port)
    server.print_listen("Serving on http://{}:{}")
    server.run()


SKILL_ID_REQUIRED = (
    "request verification is on but SKILL_ID is not set, so any Alexa skill could call "
    "this endpoint. Set SKILL_ID to your skill's id (amzn1.ask.skill..., shown in the "
    "Alexa developer console), or pass --no-verify for local tests on loopback."
)


def _settings(store_url: str | None) -> Settings:
    from skill.settings import Settings

    settings = Settings.from_env()
    if store_url:
        settings = dataclasses.replace(settings, progress_store=store_url)
    return settings


def _salted(settings: Settings) -> Settings:
    """``settings`` with the deployment's user-key salt, or a clean exit saying what to set."""
    from skill.salt import SaltError, with_user_key_salt

    try:
        return with_user_key_salt(settings)
    except SaltError as exc:
        raise click.ClickException(str(exc)) from exc


@main.group()
def store() -> None:
    """Manage the progress store."""


@store.command("init")
@click.option("--store", "store_url", default=None, help="sqlite:///PATH or dynamodb://TABLE")
def store_init(store_url: str | None) -> None:
    """Create the DynamoDB table (or the SQLite file) for local development and tests."""
    from skill.progress.factory import init_store
    from skill.settings import Settings

    url = store_url or Settings.from_env().progress_store
    init_store(url)
    click.echo(f"Store ready: {url}")


class _AudioCommands(click.Group):
    """``movement-snacks audio ...``: loads ``audio.cli`` (build tools) only when used."""

    def _commands(self) -> click.Group:
        from audio.cli import audio

        return audio

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get_command(ctx, cmd_name)


main.add_command(
    _AudioCommands("audio", help="Build and publish the generated audio (needs the [audio] extra).")
)


def _add_plan_commands() -> None:
    """``plan`` and ``report`` (skill/plans/commands.py: click only until they run)."""
    from skill.plans.commands import plan, report

    main.add_command(plan)
    main.add_command(report)


_add_plan_commands()


if __name__ == "__main__":
    main()
