"""Commands registered on lynchpin.cli.app (filled in by its owner)."""
