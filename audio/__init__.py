"""Build-time audio: TTS backends, timeline -> MP3 renderer, cache, manifest, publisher.

The skill never imports this package at run time (DESIGN.md section 1); it reads
only the manifest this package writes (``skill.speech.audio_manifest``).
"""
