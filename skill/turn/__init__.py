"""A conversation turn, from the request to what became of the user's progress.

- :mod:`skill.turn.identity`: ``user_key``, the keyed pseudonym of an Alexa user;
- :mod:`skill.turn.context`: :class:`Turn`, the request context (who, locale,
  clock, time zone, session, plan) and ``Turn.move_on``, the one rule by which a
  heard set counts when the user moves on;
- :mod:`skill.turn.work`: :class:`UnitOfWork`, which records, saves, carries in the
  session or queues the turn's update, and its :class:`Outcome`;
- :mod:`skill.turn.interceptors`: begin every turn; finish those that said nothing.

Imports go one way: handlers -> turn -> domain (progress, routines, speech,
alexa_api). Nothing here builds a response.
"""
