"""Plotwise: chat-first analytics that answers with live artifacts bound to governed SQL."""

__version__ = "0.1.0"
