"""Build speed and cache hits: the full ``audio build --backend espeak``, then a rebuild.

Reports seconds of audio rendered per second of wall time, how many phrases were
synthesised and files encoded, and what a rebuild with nothing changed redoes.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from audio.build import Builder, routine_jobs, set_jobs
from audio.espeak_backend import EspeakBackend
from skill.routines.catalog import load_catalog


def main() -> None:
    catalog = load_catalog("en-US")
    jobs = set_jobs(catalog) + routine_jobs(catalog)
    with tempfile.TemporaryDirectory() as out:
        for run in ("first build", "rebuild"):
            builder = Builder(Path(out), EspeakBackend("en-US"), catalog)
            started = time.perf_counter()
            report = builder.build(jobs)
            seconds = time.perf_counter() - started
            audio_s = report.audio_ms / 1000
            size_mb = sum(p.stat().st_size for p in Path(out).rglob("*.mp3")) / 1e6
            print(
                f"   {run}: {len(jobs)} tracks, {audio_s:.0f} s of audio ({size_mb:.0f} MB) "
                f"in {seconds:.1f} s = {audio_s / seconds:.0f} s of audio per second"
            )
            print(
                f"   {run}: {report.clips_synthesised} phrases synthesised, "
                f"{report.encoded} files encoded, {report.reused} reused, "
                f"{len(report.skipped)} skipped"
            )
