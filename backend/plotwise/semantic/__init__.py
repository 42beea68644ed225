"""The semantic layer: dataset definitions that describe tables, columns, measures and joins."""
