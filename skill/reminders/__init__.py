"""Movement reminders: what the user asked for, as a schedule the Reminders API can keep.

- :mod:`skill.reminders.schedule`: :class:`~skill.reminders.schedule.Schedule`, the
  value a confirmed request becomes (local times of day, days, or one date), kept in
  the session between the say-back and the yes;
- :mod:`skill.reminders.parse`: slot values (AMAZON.TIME, AMAZON.DATE,
  AMAZON.DURATION, the days and part-of-day types) -> a schedule, or the question
  to ask when the request cannot be read without a guess;
- :mod:`skill.reminders.rrule`: RRULE strings for a schedule, grouped so that as few
  reminders as the API allows carry them, and read back for "what reminders do I have";
- :mod:`skill.reminders.words`: what to say back, as locale message keys.

Domain code: nothing here knows about handlers, responses or HTTP.
"""
