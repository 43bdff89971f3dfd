"""Built-in theme plugins, registered through the "qualizyklus" entry-point group like any other."""
