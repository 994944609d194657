"""`make dev`: `dg dev` (webserver + daemon) that Ctrl-C and SIGTERM stop, even in the background.

A shell starts a background command (`make dev &`, `nohup make dev &`) with SIGINT ignored, and
Dagster maps SIGTERM to whatever SIGINT does: started that way, `dg dev` ignored both and had to be
killed with SIGKILL, leaving its webserver, daemon and code server behind. This launcher puts
SIGINT and SIGTERM back to their defaults, then becomes `dg dev` (same process id), which stops
its children and exits on either signal.

    python -m pipelines.automation.dev_server [dg dev options, e.g. -h 127.0.0.1 -p 3000]
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def restore_stop_signals() -> None:
    """Default SIGINT and SIGTERM handling, whatever the parent set (kept across exec)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    dg = Path(sys.executable).with_name("dg")
    restore_stop_signals()
    os.execv(str(dg), [str(dg), "dev", *args])


if __name__ == "__main__":
    main()
