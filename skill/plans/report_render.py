"""The report as csv (one row per patient per day), html (one self-contained page) or png.

The page needs no network: the chart is embedded as a base64 PNG, the styles inline.
Flags come first, and the chart's numbers are also a table, for screen readers.
"""

from __future__ import annotations

import base64
import csv
import io
from html import escape

from skill.plans.report_data import Flag, PatientReport, PlanReport

NOT_SHARED = "not shared"
STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:60em}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #999;padding:.2em .5em}"
    "#flags{background:#fdecea;border:2px solid #c0392b;padding:.5em 1em}"
    "#chart img{max-width:100%;display:block}"
)


def render(report: PlanReport, fmt: str) -> bytes:
    if fmt == "csv":
        return report_csv(report).encode()
    from skill.plans.report_chart import chart_png

    png = chart_png(report)
    if fmt == "png":
        return png
    return report_html(report, png).encode()


def report_csv(report: PlanReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["patient", "day", "snacks", "per_day"]
    writer.writerow([*header, "pain"] if report.pain_shown else header)
    for patient in report.patients:
        if not patient.shared:
            blank = [""] if report.pain_shown else []
            writer.writerow([patient.label, NOT_SHARED, "", "", *blank])
            continue
        for row in patient.days:
            cells = [patient.label, row.day.isoformat(), row.snacks, row.per_day]
            if report.pain_shown:
                cells.append(" ".join(str(r) for r in row.pain))
            writer.writerow(cells)
    return out.getvalue()


def flag_text(patient: PatientReport, flag: Flag) -> str:
    if flag.kind == "pain" and flag.day is not None:
        return f"{patient.label}: pain rating {flag.value} on {flag.day.isoformat()}"
    return f"{patient.label}: {flag.value} days without a snack"


def report_html(report: PlanReport, png: bytes) -> str:
    plan = report.plan
    title = f"Adherence report: {plan.title}, {plan.clinic}"
    flags = [flag_text(p, f) for p in report.patients for f in p.flags]
    flag_items = "".join(f"<li>{escape(text)}</li>" for text in flags) or "<li>No flags.</li>"
    image = base64.b64encode(png).decode()
    alt = "Movement snacks per day against the prescription, per patient (numbers in the tables)."
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>Plan {escape(report.stored.code)}: {plan.per_day} movement snacks a day; "
        f"{report.start.isoformat()} to {report.end.isoformat()}.</p>"
        f"<section id='flags' aria-labelledby='flags-title'><h2 id='flags-title'>Flags</h2>"
        f"<ul>{flag_items}</ul></section>"
        f"<figure id='chart'><img alt='{escape(alt)}' src='data:image/png;base64,{image}'>"
        f"<figcaption>{escape(alt)}</figcaption></figure>"
        f"{summary_table(report)}{days_table(report)}</body></html>"
    )


def summary_table(report: PlanReport) -> str:
    heads = ["Patient", "Adherence", "Current streak", "Days since last snack", "Sets per exercise"]
    if report.pain_shown:
        heads.append("Pain trend")
    rows = []
    for p in report.patients:
        if not p.shared:
            rows.append([p.label, NOT_SHARED] + [""] * (len(heads) - 2))
            continue
        since = "never" if p.days_since_last_snack is None else str(p.days_since_last_snack)
        sets = ", ".join(f"{e} {n}" for e, n in p.exercise_sets) or "none"
        cells = [p.label, f"{p.adherence_percent}%", f"{p.current_streak} days", since, sets]
        if report.pain_shown:
            cells.append(p.pain_trend or "not enough ratings")
        rows.append(cells)
    return _table("summary", "Summary per patient", heads, rows)


def days_table(report: PlanReport) -> str:
    heads = ["Patient", "Day", "Snacks", "Prescribed"] + (["Pain"] if report.pain_shown else [])
    rows = []
    for p in report.patients:
        for d in p.days:
            cells = [p.label, d.day.isoformat(), str(d.snacks), str(d.per_day)]
            if report.pain_shown:
                cells.append(" ".join(str(r) for r in d.pain))
            rows.append(cells)
    return _table("days", "Movement snacks per day", heads, rows)


def _table(ident: str, caption: str, heads: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        f"<table id='{ident}'><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
