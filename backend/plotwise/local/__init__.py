"""Plotwise's own offline analyst: a deterministic model planning SQL from a definition."""
