"""Build-time audio: TTS backends, timeline -> MP3 renderer, cache, manifest, publisher.

The skill never imports this package at run time.
"""
