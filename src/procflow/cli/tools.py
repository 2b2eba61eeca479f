"""procflow tools command(s)."""
