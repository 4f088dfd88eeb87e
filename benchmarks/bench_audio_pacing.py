"""Pacing accuracy: where each cue is really heard in the rendered MP3 vs. the plan.

Renders, with eSpeak NG, every exercise at each tempo (3 reps), every exercise's
default set at the normal tempo at each place it has in a session (so every
encouragement variant is heard), and every routine track; decodes each MP3 as a
plain decoder does, finds each cue's onset and reports the largest difference
from the manifest's planned time (goal: 25 ms). A subset of the full build
(``make audio``), which renders every rep count the same way.

It also counts phrases the renderer had to say faster than the voice's own rate
to fit their slot (goal: none; tempo changes the silences, not the speech).
"""

from __future__ import annotations

import math
import statistics
import tempfile
from pathlib import Path

from audio.analysis import cue_onsets_ms, largest_error_ms
from audio.build import Builder, routine_jobs, set_jobs
from audio.espeak_backend import EspeakBackend
from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo

REPS = 3


def main() -> None:
    catalog = load_catalog("en-US")
    defaults = {f"{e.id}-{Tempo.NORMAL.value}-{e.reps}" for e in catalog.exercises.values()}
    jobs = [
        job
        for job in set_jobs(catalog)
        if job.key.endswith(f"-{REPS}") or job.key.split("-e")[0] in defaults
    ] + routine_jobs(catalog)
    with tempfile.TemporaryDirectory() as out:
        builder = Builder(Path(out), EspeakBackend("en-US"), catalog)
        report = builder.build(jobs)
        manifest = report.manifest
        errors: list[float] = []
        missing = 0
        worst: tuple[float, str] = (0.0, "")
        for job in jobs:
            entry = (manifest.sets if job.kind == "sets" else manifest.routines)[job.key]
            for layout, part in zip(job.layouts, entry.parts, strict=True):
                mp3 = (Path(out) / part.file).read_bytes()
                onsets = cue_onsets_ms(mp3, part.cues_ms, builder.renderer.placed(layout))
                missing += sum(1 for m in onsets if math.isnan(m))
                diffs = [
                    abs(m - p)
                    for p, m in zip(part.cues_ms, onsets, strict=True)
                    if not math.isnan(m)
                ]
                errors.extend(diffs)
                # Infinite when a cue was not heard at all (also counted as not found).
                worst = max(worst, (largest_error_ms(part.cues_ms, onsets), job.key))
    print(f"   {len(errors)} cues in {len(jobs)} tracks (eSpeak NG); not found: {missing}")
    print(f"   largest onset error: {worst[0]:.2f} ms ({worst[1]}); goal <= 25 ms")
    print(f"   mean {statistics.mean(errors):.2f} ms, median {statistics.median(errors):.2f} ms")
    hurried = list(report.hurried)
    print(f"   phrases said faster than the voice's rate to fit: {len(hurried)}; goal 0 {hurried}")
