"""procflow validate command(s)."""
