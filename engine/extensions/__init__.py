"""Plugins: the hook specifications, the plugin manager and isolated hook calls."""
