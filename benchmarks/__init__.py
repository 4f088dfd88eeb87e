"""Speed, memory and accuracy figures: printed by ``make bench``, never asserted."""
