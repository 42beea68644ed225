"""Spark jobs: large results computed on Spark (local or a cluster) through Spark Connect."""
