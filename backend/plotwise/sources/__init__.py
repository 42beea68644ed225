"""External data sources that Plotwise queries in place (PostgreSQL), beside its DuckDB catalog."""
