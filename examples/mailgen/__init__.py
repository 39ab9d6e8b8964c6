"""Building blocks for examples/make_examples.py (not part of the service)."""
