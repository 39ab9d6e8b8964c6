"""Cases: one per organisation; matching a message to its case and applying what was extracted."""
