"""Plans a physical therapist prescribes: the plan file, its code, links and the report.

- :mod:`skill.plans.model`: the frozen records (a plan, a stored plan, a link).
- :mod:`skill.plans.plan_file`: loading and validating a therapist's TOML plan file.
- :mod:`skill.plans.linking`: codes, wrong tries and the lockout (pure rules + one store).
- :mod:`skill.plans.store`: the PlanStore protocol; ``sqlite_plans`` and
  ``dynamodb_plans`` keep plans in the progress store's own file or table.
- ``report*``: the therapist's adherence report (never on the Lambda path).
"""
