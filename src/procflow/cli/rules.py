"""procflow rules command."""
