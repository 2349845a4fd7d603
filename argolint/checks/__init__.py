"""Rule modules, discovered by ``argolint.rules.discover``: each declares its rules."""
