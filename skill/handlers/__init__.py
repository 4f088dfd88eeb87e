"""Request handlers, one module per conversation area; thin: parse -> domain -> answer.

Every spoken answer goes through :mod:`skill.handlers.respond`, which first
finishes the turn's unit of work (:mod:`skill.turn.work`) and then opens the answer
with the outcome's honest word when the store failed. Dispatch order lives in
:func:`skill.builder.request_handlers`.

- ``launch``: the welcome; ``browse``: what routines and exercises exist;
- ``routine``: starting a routine and moving through it; ``pause``: pause, resume;
- ``handsfree``: "play my whole routine" and voice commands over the stream;
  ``playback``: the device's buttons and AudioPlayer events; ``stream``: what both share;
- ``summary``: "how am I doing?", the daily goal; ``pain``: pain check-ins;
  ``numbers``: a bare number answering the last question (``questions``);
  ``data``: deleting a user's data; ``reminders``: movement reminders (set, list,
  cancel, the permission's answer), ``reminder_flow``: creating them, asking permission;
- ``plan_link``: linking a therapist's plan by its code, the sharing question;
  ``plan``: "start my plan", "what's my plan", "remove my plan", sharing on and off;
  ``plan_words``: what they share (the plan store of the turn, read-backs, the offer);
- ``session``: help, stop, no, session end, fallback and the error handler;
- ``common``: slots and delivering a guided set.

``timezone`` only forwards to :mod:`skill.alexa_api.settings_api` for skill/web.py.
"""
