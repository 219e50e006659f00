"""Warm kernels: each notebook still gets a fresh kernel process of its own, but forked from a
process that has already imported the scientific stack, instead of started from nothing.

On the 2-core reference machine, importing pandas, matplotlib, scipy, pandera and the audit
package costs about 4 s per kernel, more than most notebooks spend computing.
A run starts one `KernelServer` (POSIX only); it imports all of that once, then forks a kernel
for each notebook on request. A forked kernel shares no state with the other notebooks: it
is a copy of a process that has imported modules and done nothing else (no data, no client).
Kernels started this way behave as the standard ones (interrupt, shutdown, timeouts); the
runner falls back to standard kernels when the server cannot start.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Imported once by the server; every notebook would otherwise import them again.
PRELOAD = (
    "numpy", "pandas", "pyarrow.parquet", "pyarrow.dataset", "scipy.special", "matplotlib.pyplot",
    "matplotlib_inline.backend_inline", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger",
    "sqlite3", "psutil", "jinja2", "mistune", "encodings.utf_8_sig", "audit", "audit.session", "audit.tables",
    "audit.record", "audit.display", "audit.style", "audit.metrics",
    # what pandas imports on first use, in nearly every notebook (reshaping, text rendering of frames)
    "pandas.core.reshape.reshape", "pandas.io.formats.string",
)


def available() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


class KernelServer:
    """The parent side: start the server process, ask it for kernels, stop it."""

    def __init__(self, python: list[str], modules: list[str] = (), start_timeout: float = 120):
        self.dir = tempfile.mkdtemp(prefix="audit-kernels-")  # a short path: socket names are limited
        self.address = os.path.join(self.dir, "server.sock")
        self.log_path = Path(self.dir) / "server.log"
        env = {**os.environ, "MPLBACKEND": INLINE_BACKEND, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([*python, "-m", "audit.kernels", self.address, *modules], env=env,
                                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        self.start_timeout = start_timeout
        self.kernel_name: str | None = None  # the kernelspec whose kernels it stands in for
        self._ready = False
        self._manager_class = None

    def wait_ready(self) -> None:
        """Block until the server has imported everything (raises RuntimeError if it died)."""
        if self._ready:
            return
        line = self.process.stdout.readline()  # "ready" once the imports are done
        if line.strip() != b"ready":
            self.process.kill()
            tail = self.log_path.read_text(errors="replace").strip().splitlines()[-1:] if self.log_path.exists() else []
            raise RuntimeError(f"the warm-kernel server did not start (exit code {self.process.wait()}"
                               f"{': ' + tail[0] if tail else ''})")
        self._ready = True

    def is_ready(self) -> bool:
        """Whether the server has finished importing, without waiting (False if it died)."""
        if not self._ready:
            import select

            try:
                if select.select([self.process.stdout], [], [], 0)[0]:
                    self.wait_ready()
            except (RuntimeError, OSError, ValueError):
                return False
        return self._ready

    def fork(self, argv: list[str], env: dict, cwd: str | None, output_fd: int | None) -> int:
        """A new kernel running `argv` (the kernelspec's command line); returns its pid."""
        answer = self._ask({"argv": argv, "env": env, "cwd": cwd}, [output_fd] if output_fd is not None else [])
        if "pid" not in answer:
            raise RuntimeError(f"the kernel server could not start a kernel: {answer.get('error')}")
        return answer["pid"]

    def preload(self, client_dir: str) -> bool:
        """Have the server read the client's canonical tables, so that the kernels it forks from
        now on start with them in memory (see audit.tables.preload). An optimisation only: False
        when it could not be done, and each kernel then reads the tables itself."""
        try:
            return "tables" in self._ask({"preload": client_dir}, [])
        except (OSError, RuntimeError, ValueError):
            return False

    def _ask(self, request: dict, fds: list[int]) -> dict:
        self.wait_ready()
        data = json.dumps(request).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(self.start_timeout)
            s.connect(self.address)
            socket.send_fds(s, [len(data).to_bytes(8, "big") + data], fds)
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    raise RuntimeError("the kernel server closed the connection")
                reply += chunk
        return json.loads(reply)

    def kernel_manager_class(self):
        """A jupyter_client KernelManager class whose kernels this server forks."""
        if self._manager_class is None:
            self._manager_class = _manager_class(self)
        return self._manager_class

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process.stdout:
            self.process.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- jupyter_client side: a kernel manager whose kernels come from the server -----------

class _ForkedProcess:
    """What jupyter_client expects of a Popen, for a kernel that is not our child (the
    server forked it; the server reaps it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # the real code went to the server, which reaped the kernel
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _manager_class(server: KernelServer):
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            out = kwargs.get("stdout")
            fd = out.fileno() if hasattr(out, "fileno") else None
            pid = server.fork(list(cmd), dict(kwargs.get("env") or os.environ), kwargs.get("cwd"), fd)
            self.process = _ForkedProcess(pid)
            self.pid = pid
            self.pgid = pid  # the kernel starts its own session
            self.cwd = kwargs.get("cwd")
            return self.connection_info

    class ForkedKernelManager(AsyncKernelManager):  # async, as nbclient's own: a blocking client
        # would stall its event loop, and with it the cell time limit and dead-kernel checks
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                     parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ForkedKernelManager


def kernelspec_argv(name: str) -> list[str] | None:
    """The command line of the kernelspec `name`, from the first kernel.json found where Jupyter
    looks (as jupyter_client does), or None. jupyter_client itself takes a quarter of a second to
    import, and the server, the run's longest start-up step, would wait for it."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("kernels"):
        try:
            argv = json.loads((Path(folder) / name.lower() / "kernel.json").read_text(encoding="utf-8"))["argv"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
            return argv
    return None


def notebook_imports(paths: list[Path]) -> list[str]:
    """The modules the notebooks import (read from their code, not run), for the server to
    import once; cells that are not plain Python (magics) are skipped."""
    import ast

    found: dict[str, None] = {}
    for path in paths:
        try:  # plain JSON, not nbformat: this runs before the server starts, and nbformat is slow to import
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue  # the runner reports an unreadable notebook itself
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
                    # `from audit import display`: the names may be modules too (tried, not required)
                    found.update((f"{node.module}.{a.name}", None) for a in node.names if a.name != "*")
    return list(found)


# --- the server process ---------------------------------------------------------------------

def _import(name: str) -> None:
    import importlib

    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a notebook that needs it will say so itself
        pass


def _serve(address: str, modules: list[str]) -> None:
    """Import, warm up, then fork a kernel per request. Whatever the server holds when it forks
    (modules, tables) is moved out of the garbage collector's sight (`gc.freeze`): each kernel's
    first full collection would otherwise walk all of it, a fifth of a second per kernel, and
    touch its pages, which then stop being shared with the server."""
    for name in [*PRELOAD, *modules]:
        _import(name)
    try:
        from audit.metrics import all_metrics

        all_metrics()  # imports every metrics module
        _draw_once()
        from audit import display

        display.prepare()
    except Exception:  # noqa: BLE001 - preloading is an optimisation only
        pass
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle; it stops us
    parent = os.getppid()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(16)
    server.settimeout(0.5)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while os.getppid() == parent:  # the runner went away: so do we
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        with conn:
            fds: list[int] = []
            try:  # one bad request must not end the server: the runner then starts a standard kernel
                conn.settimeout(30)
                msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 1)
                size = int.from_bytes(msg[:8], "big")
                while len(msg) < 8 + size:
                    msg += conn.recv(1 << 20)
                request = json.loads(msg[8:8 + size])
                if "preload" in request:
                    from audit.tables import preload

                    reply = {"tables": preload(request["preload"])}
                    gc.freeze()
                else:
                    pid = os.fork()
                    if pid == 0:
                        server.close()
                        conn.close()
                        _become_kernel(request, fds[0] if fds else None)
                    reply = {"pid": pid}
            except Exception as e:  # noqa: BLE001
                reply = {"error": f"{type(e).__name__}: {e}"}
            for fd in fds:
                os.close(fd)
            try:
                conn.sendall(json.dumps(reply).encode() + b"\n")
            except OSError:
                pass


def _draw_once() -> None:
    """Draw and save one small chart as the notebooks do (SVG, see audit.style), so that the fonts
    and the renderer are loaded here once rather than by every kernel for its first chart."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_title("Warm-up 0123456789 %", fontweight="bold")
    ax.plot([0, 1], [0, 1])
    fig.savefig(io.BytesIO(), format="svg")


def _become_kernel(request: dict, output_fd: int | None) -> None:
    """In the forked child: set up as a freshly launched kernel would be, then run ipykernel."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        out = output_fd if output_fd is not None else null
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["MPLBACKEND"] = INLINE_BACKEND
        if request.get("cwd"):
            os.chdir(request["cwd"])
        argv = request["argv"]
        # kernelspec: [python, "-m", "ipykernel_launcher", "-f", "{connection_file}", ...]
        args = argv[argv.index("-m") + 2:]
        from ipykernel.kernelapp import IPKernelApp
        from matplotlib_inline.backend_inline import _enable_matplotlib_integration

        app = IPKernelApp.instance()
        # The class read JPY_PARENT_PID when the server imported it; watch the server instead,
        # which itself ends when the runner does: no kernel outlives its run.
        app.parent_handle = os.getppid()
        # No command history: a batch kernel is never asked for it, and parallel kernels writing the
        # one history database would only wait on each other's locks.
        app.initialize([*args, "--HistoryManager.enabled=False"])
        _enable_matplotlib_integration()  # pyplot was imported before this kernel's shell existed
        app.start()
        code = 0
    except BaseException:  # noqa: BLE001 - report, then leave without running the server's code
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2:])
