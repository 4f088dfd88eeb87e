"""``movement-snacks plan create|show|revoke`` and ``movement-snacks report``.

Stores and the report's renderers are imported only when a command runs, so
``chat`` and the Lambda never load them (matplotlib lives in the ``[report]`` extra).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from skill.plans.store import PlanStore
    from skill.progress.store import ProgressStore

STORE_HELP = "sqlite:///PATH or dynamodb://TABLE (default: PROGRESS_STORE)"


def _stores(store_url: str | None) -> tuple[ProgressStore, PlanStore]:
    from skill.plans.store import open_plan_store
    from skill.settings import Settings

    return open_plan_store(store_url or Settings.from_env().progress_store)


def _now() -> datetime:
    return datetime.now(UTC)


@click.group()
def plan() -> None:
    """Plans a physical therapist prescribes, linked by patients with a 6-digit code."""


@plan.command("create")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--store", "store_url", default=None, help=STORE_HELP)
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365))
def create(plan_file: Path, store_url: str | None, days: int) -> None:
    """Validate PLAN_FILE, store it, and print its code on the last line."""
    from skill.plans.linking import create_plan
    from skill.plans.plan_file import PlanFileError, load_plan_file
    from skill.progress.store import StoreError
    from skill.routines.catalog import load_catalog

    try:
        prescribed = load_plan_file(plan_file, load_catalog("en-US"))
    except PlanFileError as exc:
        raise click.ClickException(f"the plan file has problems:\n{exc}") from exc
    try:
        stored = create_plan(_stores(store_url)[1], prescribed, _now(), days)
    except StoreError as exc:
        raise click.ClickException(f"cannot store the plan: {exc}") from exc
    click.echo(f"{prescribed.title} ({prescribed.clinic}), until {stored.expires_at:%Y-%m-%d}")
    click.echo("Give the patient this code; they say: use plan code, then the six digits.")
    click.echo(stored.code)


@plan.command("show")
@click.argument("code")
@click.option("--store", "store_url", default=None, help=STORE_HELP)
def show(code: str, store_url: str | None) -> None:
    """Print the plan stored under CODE and how many patients linked it."""
    stored, links = _stores(store_url)[1].patients(code)
    if stored is None:
        raise click.ClickException(f"no plan has the code {code}")
    state = "revoked" if stored.revoked else ("live" if stored.is_live(_now()) else "expired")
    p = stored.plan
    until = f"{stored.expires_at:%Y-%m-%d}"
    click.echo(f"{p.title} ({p.clinic}): {p.per_day} a day; {state} until {until}")
    if p.note:
        click.echo(f"note: {p.note}")
    for exercise in p.exercises:
        click.echo(f"- {exercise.id}: {exercise.reps} reps, {exercise.tempo.value}")
    shared = sum(1 for link in links if link.sharing)
    click.echo(f"patients linked: {len(links)}, sharing: {shared}")


@plan.command("revoke")
@click.argument("code")
@click.option("--store", "store_url", default=None, help=STORE_HELP)
def revoke(code: str, store_url: str | None) -> None:
    """Stop CODE from being linked or started again."""
    from skill.plans.store import PlanNotFoundError

    try:
        _stores(store_url)[1].revoke(code)
    except PlanNotFoundError as exc:
        raise click.ClickException(f"no plan has the code {code}") from exc
    click.echo(f"Revoked {code}.")


@click.command()
@click.option("--plan", "code", required=True, help="the plan's 6-digit code")
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(1, 52))
@click.option("--format", "fmt", default="csv", type=click.Choice(["csv", "html", "png"]))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--store", "store_url", default=None, help=STORE_HELP)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="the report's last day (default: today, UTC)",
)
def report(
    code: str,
    weeks: int,
    fmt: str,
    out: Path | None,
    store_url: str | None,
    until: datetime | None,
) -> None:
    """The therapist's adherence report of plan CODE (csv, html or png)."""
    from skill.plans.report_data import build_report
    from skill.plans.report_render import render
    from skill.settings import Settings

    progress, plans = _stores(store_url)
    pain_shown = Settings.from_env().store_pain_ratings
    last_day = until.date() if until is not None else _now().date()
    built = build_report(plans, progress, code, last_day, weeks, pain_shown=pain_shown)
    if built is None:
        raise click.ClickException(f"no plan has the code {code}")
    data = render(built, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        click.echo(f"Wrote {out}")
