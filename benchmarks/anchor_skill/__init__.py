"""The anchor the cold-start and warm-turn benchmarks compare this skill against."""
