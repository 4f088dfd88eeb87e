"""Build-time audio pipeline: TTS clips -> exactly paced MP3s -> manifest -> S3.

The skill never imports this package at run time (DESIGN.md section 1); it reads
only the manifest this package writes (``skill.speech.audio_manifest``).
"""
