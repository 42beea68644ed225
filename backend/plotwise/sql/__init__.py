"""SQL layer: the guard that admits only read-only queries, and the runner that executes them.

``plotwise.sql.guard`` parses model-written SQL with sqlglot and refuses anything but one
SELECT over known tables; ``plotwise.sql.runner`` runs it on the locked-down catalog with a row
cap and a time limit, in one of the worker processes of ``plotwise.sql.workers`` (child side:
``plotwise.sql.worker_main``), which contain its memory and stop it on timeout or cancellation.
"""
