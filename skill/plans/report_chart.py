"""The report's chart: snacks per day against the prescription, one panel per patient.

matplotlib (the ``[report]`` extra) is imported here only, and this module only by
the ``report`` command: never on the Lambda path.
"""

from __future__ import annotations

import io

from skill.plans.report_data import PlanReport

PANEL_HEIGHT_IN, WIDTH_IN, DPI = 2.2, 8.0, 100
BAR_COLOUR, GOAL_COLOUR = "#2a7ab0", "#c0392b"


def chart_png(report: PlanReport) -> bytes:
    """The chart as PNG bytes (the Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    shared = [p for p in report.patients if p.shared and p.days]
    panels = max(len(shared), 1)
    figure, axes = plt.subplots(
        panels, 1, figsize=(WIDTH_IN, PANEL_HEIGHT_IN * panels + 0.6), squeeze=False, dpi=DPI
    )
    figure.suptitle(f"{report.plan.title}: movement snacks per day against {report.plan.per_day}")
    if not shared:
        axes[0][0].text(0.5, 0.5, "No patient shares their progress yet.", ha="center")
        axes[0][0].set_axis_off()
    for row, patient in zip(axes, shared, strict=False):
        ax = row[0]
        days = [d.day for d in patient.days]
        ax.bar(days, [d.snacks for d in patient.days], color=BAR_COLOUR, label="snacks done")
        ax.axhline(report.plan.per_day, color=GOAL_COLOUR, linestyle="--", label="prescribed")
        ax.set_title(f"{patient.label}: {patient.adherence_percent}% adherence", fontsize=10)
        ax.set_ylim(0, max([report.plan.per_day, *(d.snacks for d in patient.days)]) + 1)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.legend(loc="upper left", fontsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
