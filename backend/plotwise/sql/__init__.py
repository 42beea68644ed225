"""SQL layer: the guard that admits only read-only queries, and the runner that executes them.

``plotwise.sql.guard`` parses model-written SQL with sqlglot and refuses anything but one
SELECT over known tables; ``plotwise.sql.runner`` runs it on the locked-down catalog with a row
cap and a time limit.
"""
