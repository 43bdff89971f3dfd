"""Versioned cycle definitions (TOML data, loaded by engine.domain.workflow)."""
