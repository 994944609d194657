"""The command line ends its process without the interpreter's teardown (``exit_now``): the exit
code, the buffered output and the exit handlers all come through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import cli_env

SCRIPT = """
import atexit, sys, tempfile, pathlib
from pipelines.__main__ import exit_now
folder = tempfile.TemporaryDirectory()  # removed by its finalizer, an exit handler
pathlib.Path(sys.argv[1]).write_text(folder.name)
atexit.register(lambda: print("exit handler ran"))
print("buffered output", end=" ")
print("to stderr", file=sys.stderr, end="")
exit_now(3)
"""


def test_exit_now_keeps_the_code_the_output_and_the_exit_handlers(tmp_path):
    note = tmp_path / "folder.txt"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(note)], capture_output=True, text=True,
                          env=cli_env(), timeout=120)
    assert proc.returncode == 3
    assert proc.stdout == "buffered output exit handler ran\n"
    assert proc.stderr == "to stderr"
    assert not Path(note.read_text()).exists()  # the temporary folder was cleaned up


def test_the_cli_exit_code_comes_through(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipelines", "run", "--data-dir", str(tmp_path / "nope")],
                          capture_output=True, text=True, env=cli_env(), timeout=300)
    assert proc.returncode == 1
    assert "does not exist" in proc.stderr
