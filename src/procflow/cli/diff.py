"""procflow diff command(s)."""
