"""The Spark Connect server Plotwise starts for itself: a foreground child process.

``spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer`` from the
pip-installed PySpark (``SPARK_HOME`` is the ``pyspark`` package folder), listening on a free
port of 127.0.0.1, with ``--master`` from ``PLOTWISE_SPARK_MASTER``: ``local[*]`` runs Spark in
that process, ``spark://...`` on a standalone cluster. Either way Plotwise talks to it through
the same Spark Connect client as to a remote server.

The child dies with Plotwise: it is asked for ``SIGTERM`` when its parent goes (Linux's
``PR_SET_PDEATHSIG``), and `ConnectServer.stop` ends it. Its stdout and stderr go to
``<data dir>/spark/connect-server.log`` (Log4j at WARN, from the packaged ``log4j2.properties``);
Spark's scratch space, warehouse and Derby home are under ``<data dir>/spark`` too, and it runs
there, so nothing lands in the working directory.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Final

from plotwise.errors import SparkUnavailableError

SERVER_CLASS: Final = "org.apache.spark.sql.connect.service.SparkConnectServer"
"""Main class of the Spark Connect server in the ``spark-connect`` jar PySpark ships."""

LOG4J_FILE: Final = Path(__file__).with_name("log4j2.properties")
"""Log4j 2 configuration of the child: WARN and above, on stderr."""

LOG_NAME: Final = "connect-server.log"
"""File under the Spark folder that receives the child's stdout and stderr."""

LOG_TAIL_CHARS: Final = 3000
"""How much of the log's end a failed start quotes in its error message."""

_PR_SET_PDEATHSIG: Final = 1


def spark_home() -> Path:
    """The pip-installed PySpark's folder, which holds ``bin/spark-submit`` and the jars.

    Raises:
        SparkUnavailableError: PySpark is not installed.

    """
    try:
        import pyspark
    except ImportError as error:
        raise SparkUnavailableError(f"PySpark is not installed: {error}") from error
    return Path(pyspark.__file__).resolve().parent


class ConnectServer:
    """One child Spark Connect server; `start` it once, `stop` it at the end."""

    def __init__(self, master: str, folder: Path, timeout_s: float) -> None:
        """Prepare a server for ``master`` keeping its files under ``folder``."""
        self.master = master
        self.folder = folder
        self.timeout_s = timeout_s
        self.log_path = folder / LOG_NAME
        self._process: subprocess.Popen[bytes] | None = None
        self._launched = threading.Event()
        self._launch_error: BaseException | None = None
        self._stopped = False
        self._log_start = 0

    def start(self) -> str:
        """Start the child and wait until its port accepts connections.

        Returns:
            Its Spark Connect URL, ``sc://127.0.0.1:<port>``.

        Raises:
            SparkUnavailableError: It could not be launched, exited, or did not listen within
                the timeout; the message quotes the end of its log.

        """
        port = _free_port()
        command = self._command(port)
        # PR_SET_PDEATHSIG fires when the *thread* that forked the child ends, so the fork
        # happens in a thread that lives exactly as long as the child.
        threading.Thread(
            target=self._supervise, args=(command,), name="spark-connect-server", daemon=True
        ).start()
        self._launched.wait()
        process = self._process
        if process is None:
            raise SparkUnavailableError(f"could not launch Spark: {self._launch_error}")
        deadline = time.monotonic() + self.timeout_s
        while not accepts("127.0.0.1", port):
            if self._stopped:
                self.stop()
                raise SparkUnavailableError("Spark was stopped while it started")
            if process.poll() is not None:
                self.stop()
                raise SparkUnavailableError(
                    f"Spark exited with status {process.returncode} while starting"
                    f"{self._log_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise SparkUnavailableError(
                    f"Spark did not start within {self.timeout_s:g} s "
                    f"(PLOTWISE_SPARK_START_TIMEOUT_S){self._log_tail()}"
                )
            time.sleep(0.1)
        return f"sc://127.0.0.1:{port}"

    def stop(self) -> None:
        """End the child (SIGTERM to its process group, SIGKILL after 10 s); harmless twice.

        A start in progress sees the stop and fails.
        """
        self._stopped = True
        process = self._process
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=10)

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self._process is not None and self._process.poll() is None

    def _command(self, port: int) -> list[str]:
        home = spark_home()
        java_options = (
            f"-Dlog4j2.configurationFile={LOG4J_FILE.as_uri()} "
            f"-Dderby.system.home={self.folder / 'derby'}"
        )
        conf = {
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(port),
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.local.dir": str(self.folder / "local"),
            "spark.sql.warehouse.dir": str(self.folder / "warehouse"),
            # No Hive metastore: temporary views are all Plotwise needs.
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.session.timeZone": "UTC",
        }
        command = [
            str(home / "bin" / "spark-submit"),
            "--class",
            SERVER_CLASS,
            "--master",
            self.master,
            "--name",
            "plotwise",
            "--driver-java-options",
            java_options,
        ]
        for key, value in conf.items():
            command += ["--conf", f"{key}={value}"]
        return [*command, "spark-internal"]

    def _supervise(self, command: list[str]) -> None:
        """Launch the child, then wait for it: this thread's life bounds the child's."""
        try:
            for sub in ("local", "warehouse", "derby"):
                (self.folder / sub).mkdir(parents=True, exist_ok=True)
            env = {**os.environ, "SPARK_HOME": str(spark_home())}
            if self.master.startswith("local"):
                # One machine: bind to loopback instead of guessing (and warning about) an address.
                env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            with self.log_path.open("ab") as log:
                self._log_start = log.tell()
                self._process = subprocess.Popen(
                    command,
                    cwd=self.folder,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent(),
                )
        except (OSError, SparkUnavailableError) as error:
            self._launch_error = error
            return
        finally:
            self._launched.set()
        self._process.wait()

    def _log_tail(self) -> str:
        """The end of what this start wrote to the log, without Java stack frames."""
        try:
            with self.log_path.open("rb") as log:
                end = log.seek(0, os.SEEK_END)
                log.seek(max(self._log_start, end - LOG_TAIL_CHARS))
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [
            line
            for line in text.splitlines()
            if line.strip() and not re.match(r"\s+(at |\.\.\. \d+ more)", line)
        ]
        if not lines:
            return f"; see {self.log_path}"
        return f"; the end of {self.log_path}:\n" + "\n".join(lines)


def _die_with_parent() -> object:
    """A ``preexec_fn`` asking Linux to SIGTERM the child when its parent thread ends."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None  # not Linux: stop() and the session's end still stop the child

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return set_death_signal


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts(host: str, port: int) -> bool:
    """Whether a TCP connection to ``host:port`` succeeds within half a second."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
