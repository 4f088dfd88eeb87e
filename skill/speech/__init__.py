"""Speech: prompts per locale and the renderers that respect Alexa's limits."""
