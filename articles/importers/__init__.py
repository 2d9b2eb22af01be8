"""Long-running imports; the management commands only parse arguments and report."""
