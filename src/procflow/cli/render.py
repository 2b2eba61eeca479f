"""procflow render command(s)."""
