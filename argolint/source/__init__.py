"""Reading input: discovering files, decoding bytes, YAML to positioned nodes."""
