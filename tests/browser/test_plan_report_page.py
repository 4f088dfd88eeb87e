"""The therapist's html report, as a real headless Chromium shows it.

GIVEN two sharing patients and one who declined, on one plan, WHEN the report page
is opened from a file (no network), THEN the chart is drawn (its box is not blank
and holds the bars' colour), the flags come first, and the tables carry the numbers.
The screenshot is kept in build/test-artefacts/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from skill.cli import main
from skill.plans.linking import create_plan
from skill.plans.plan_file import load_plan_file
from skill.plans.sqlite_plans import SqlitePlanStore
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import Completion, PainRating, UserUpdate
from skill.routines.catalog import load_catalog
from tests.browser.chromium import dump_dom, screenshot

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "build" / "test-artefacts"
EXAMPLE = ROOT / "skill" / "plans" / "example_plan.toml"
FIRST = date(2026, 11, 25)
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Snacks per day of the week, per patient (one set each, an hour apart); patient 2
# rates pain 8 on the third day.
SETS = {"one": [3, 2, 0, 4, 3, 3, 2], "two": [2, 2, 1, 0, 0, 0, 0]}
BAR_RGB = (0x2A, 0x7A, 0xB0)
MEASURE = (
    "<script>window.addEventListener('load', () => {"
    "const r = document.querySelector('#chart img').getBoundingClientRect();"
    "document.body.dataset.chart = [r.x, r.y, r.width, r.height].map(Math.round).join(',');"
    "});</script>"
)


def make_page(tmp_path: Path, fmt: str = "html") -> Path:
    path = tmp_path / "progress.sqlite3"
    store = SqliteStore(path, clock=lambda: START + timedelta(days=6), store_pain_ratings=True)
    plans = SqlitePlanStore(path)
    stored = create_plan(plans, load_plan_file(EXAMPLE, load_catalog("en-US")), START, days=30)
    for name in ("one", "two", "three"):
        link = plans.add_link(name, stored.code, START, 5)
        plans.set_sharing(link, name != "three")
    for name, per_day in SETS.items():
        completions = [
            Completion(
                f"{name}{d}{n}",
                "heel_slides",
                None,
                10,
                60,
                FIRST + timedelta(d),
                START,
                minute=9 * 60 + 60 * n,
            )
            for d, sets in enumerate(per_day)
            for n in range(sets)
        ]
        store.save(name, UserUpdate(completions=tuple(completions)))
    store.save("two", UserUpdate(pain_ratings=(PainRating("p", 8, FIRST + timedelta(2), START),)))
    out = tmp_path / f"report.{fmt}"
    args = ["report", "--plan", stored.code, "--weeks", "1", "--until", "2026-12-01"]
    args += ["--format", fmt, "--out", str(out), "--store", f"sqlite:///{path}"]
    result = CliRunner().invoke(main, args, env={"STORE_PAIN_RATINGS": "true"})
    assert result.exit_code == 0, result.output
    return out


def chart_box(chromium: Path, page: Path, tmp_path: Path) -> tuple[int, int, int, int]:
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    dom = dump_dom(chromium, measured, tmp_path / "profile-measure")
    found = re.search(r'data-chart="(\d+),(\d+),(\d+),(\d+)"', dom)
    assert found, "the chart image has no box"
    x, y, width, height = (int(v) for v in found.groups())
    return x, y, x + width, y + height


def test_the_report_page_shows_the_chart_flags_and_tables(chromium: Path, tmp_path: Path) -> None:
    page = make_page(tmp_path)
    html = page.read_text()
    assert not re.search(r"(src|href)=['\"]?https?:", html), "the page must need no network"
    dom = dump_dom(chromium, page, tmp_path / "profile-dom")
    assert dom.index('id="flags"') < dom.index('id="chart"')
    assert "patient 2: pain rating 8 on 2026-11-27" in dom
    assert "patient 2: 4 days without a snack" in dom
    assert "patient 1: " not in dom.split('id="chart"')[0]  # patient 1 has no flag
    assert "<td>patient 1</td><td>2026-11-28</td><td>4</td><td>3</td>" in dom
    assert "<td>patient 3</td><td>not shared</td>" in dom
    # min(sets, 3): 3+2+0+3+3+3+2 = 16 of 21 -> 76 %.
    assert "<td>patient 1</td><td>76%</td>" in dom

    shot = screenshot(chromium, page, tmp_path / "report.png", tmp_path / "profile-shot")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTEFACTS / "plan-report.png")
    box = chart_box(chromium, page, tmp_path)
    assert box[2] - box[0] > 300 and box[3] - box[1] > 200, box
    chart = Image.open(shot).convert("RGB").crop(box)
    raw = chart.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    inked = sum(1 for p in pixels if p != (255, 255, 255))
    assert inked > len(pixels) * 0.05, "the chart's box is blank"
    bars = sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(p, BAR_RGB, strict=True)))
    assert bars > 500, "no bars drawn in the chart"


def test_the_png_is_the_chart_alone(tmp_path: Path) -> None:
    image = Image.open(make_page(tmp_path, "png"))
    assert image.format == "PNG" and image.width >= 600
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
    assert any(
        all(abs(a - b) < 12 for a, b in zip(rgb, BAR_RGB, strict=True)) for _, rgb in colours
    )
