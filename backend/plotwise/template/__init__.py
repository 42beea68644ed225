"""Templates beyond storage: what a template may contain, and its export file."""
