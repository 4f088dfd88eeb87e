"""``movement-snacks audio build`` and ``audio publish`` (DESIGN.md section 4).

Reached through ``skill.cli``, which loads this module only when an audio
command runs; the build libraries load only inside the commands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audio.backends import BACKENDS

if TYPE_CHECKING:
    from audio.build import Job
    from skill.routines.catalog import Catalog

DEFAULT_OUT = Path("audio/out")


@click.group()
def audio() -> None:
    """Build and publish the generated audio (needs the [audio] extra)."""


def _selected_jobs(
    catalog: Catalog, exercises: tuple[str, ...], routines: tuple[str, ...]
) -> list[Job]:
    """Everything, or only the named exercises' sets and routines' tracks."""
    from audio.build import routine_jobs, set_jobs

    unknown = [e for e in exercises if e not in catalog.exercises]
    unknown += [r for r in routines if r not in catalog.routines]
    if unknown:
        raise click.BadParameter(f"not in the {catalog.locale} catalog: {', '.join(unknown)}")
    # A selection of exercises alone builds no routines, and the other way round.
    jobs = []
    if exercises or not routines:
        jobs += set_jobs(catalog, exercises or None)
    if routines or not exercises:
        jobs += routine_jobs(catalog, routines or None)
    return jobs


@audio.command()
@click.option("--backend", type=click.Choice(BACKENDS), default="gtts", show_default=True)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True
)
@click.option("--locale", default="en-US", show_default=True)
@click.option("--exercise", "exercises", multiple=True, help="Only these exercises (repeatable).")
@click.option("--routine", "routines", multiple=True, help="Only these routines (repeatable).")
@click.option("--tick/--no-tick", default=False, help="A soft tick on each second of a hold.")
@click.option("--strict", is_flag=True, help="Fail when any variant had to be skipped.")
@click.option(
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Processes encoding MP3s.",
)
def build(
    backend: str,
    out_dir: Path,
    locale: str,
    exercises: tuple[str, ...],
    routines: tuple[str, ...],
    tick: bool,
    strict: bool,
    workers: int,
) -> None:
    """Render every guided set (exercise x tempo x reps) and routine track, and the manifest."""
    from audio.backends import make_backend
    from audio.build import Builder
    from audio.tts import SynthesisError
    from skill.routines.catalog import load_catalog

    catalog = load_catalog(locale)
    jobs = _selected_jobs(catalog, exercises, routines)
    voice = make_backend(backend, locale)
    builder = Builder(out_dir, voice, catalog, tick=tick, workers=workers)

    def label(job: Job | None) -> str:
        return job.key if job else ""

    try:
        with click.progressbar(length=len(jobs), label="Rendering", item_show_func=label) as bar:
            report = builder.build(jobs, on_done=lambda job: bar.update(1, job))
    except SynthesisError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{len(report.manifest.files())} files ({report.audio_ms / 1000:.0f} s of audio) "
        f"in {out_dir}: "
        f"{report.encoded} encoded, {report.reused} unchanged; "
        f"{report.clips_synthesised} phrases synthesised."
    )
    if report.hurried:
        click.echo(f"said faster than the voice's rate to fit: {'; '.join(report.hurried)}")
    if report.stretched:
        click.echo(f"compressed in time to fit their slots: {'; '.join(report.stretched)}")
    for key, reason in report.skipped.items():
        click.echo(f"skipped {key}: {reason}", err=True)
    if strict and report.skipped:
        raise click.ClickException(f"{len(report.skipped)} variants did not fit their timeline")


@audio.command()
@click.option("--bucket", required=True)
@click.option("--prefix", default="", help="Key prefix, e.g. audio/en-US")
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True
)
def publish(bucket: str, prefix: str, out_dir: Path) -> None:
    """Upload what changed since the last publish to S3 (the manifest last)."""
    from audio.publish import PublishError
    from audio.publish import publish as upload

    try:
        report = upload(out_dir, bucket, prefix)
    except (PublishError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{len(report.uploaded)} uploaded, {len(report.unchanged)} unchanged (s3://{bucket}/{prefix})"
    )
