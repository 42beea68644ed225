"""Real servers on 127.0.0.1 for tests: the same helper the benchmark uses."""

from plotwise.bench.server import free_port, live_plotwise, live_server, wait_ready

__all__ = ["free_port", "live_plotwise", "live_server", "wait_ready"]
