"""The ``movement-snacks`` command (DESIGN.md section 4).

Each sub-command imports its heavy parts only when it runs, so ``chat`` never
loads Flask and no command loads the audio build tools unless asked.
"""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """Movement Snacks: gentle micro-mobility guidance for Alexa."""


@main.command()
@click.option("--store", "store_url", default=None, help="sqlite:///PATH or dynamodb://TABLE")
@click.option("--locale", default="en-US", show_default=True)
def chat(store_url: str | None, locale: str) -> None:
    """Talk to the skill in this terminal (reads stdin line by line when piped)."""
    from skill.chat.repl import run_chat

    run_chat(store_url=store_url, locale=locale)


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


if __name__ == "__main__":
    main()
