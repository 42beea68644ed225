"""Plotwise's own offline analyst: a deterministic model that plans SQL from a dataset definition."""
