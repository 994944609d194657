"""Exceptions of the ingest layer."""

from __future__ import annotations

import errno

from pipelines.errors import PipelineError


class InputError(PipelineError):
    """A folder-level problem (e.g. the data folder is missing), in Chinese and English.

    ``InputError(message_zh, message_en)``; ``str()`` gives both lines.
    """


class FileRejected(Exception):
    """A file that cannot be loaded at all: it is recorded as rejected, nothing is loaded."""

    def __init__(self, reason_code: str, reason_zh: str, reason_en: str):
        super().__init__(f"{reason_code}: {reason_en}")
        self.reason_code = reason_code
        self.reason_zh = reason_zh
        self.reason_en = reason_en


# Faults of the machine, not of a file: they stop the load (the source rolls back) instead of
# rejecting the file being read when they happened.
_FAULT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.ENOMEM, errno.EDQUOT, errno.EROFS}


def is_environment_fault(exc: BaseException) -> bool:
    """True for a full disk, an I/O error, exhausted memory, an interrupt: not the file's fault."""
    if isinstance(exc, MemoryError | KeyboardInterrupt | SystemExit):
        return True
    return isinstance(exc, OSError) and exc.errno in _FAULT_ERRNOS


def unexpected_file_error(file_name: str, exc: BaseException) -> FileRejected:
    """A file that made a reader or the validation fail in a way no rule foresaw: it is rejected whole
    with what happened, and the other files still load (the error stops at the file's boundary).
    ``file_name`` is the name as shown (normalise.printable)."""
    detail = f"{type(exc).__name__}: {exc}".strip()
    detail = detail if len(detail) <= 400 else detail[:400] + " …"
    return FileRejected(
        "unreadable_file",
        f"文件 {file_name} 读取或校验时出错，未载入（其他文件照常载入）：{detail}。如果它在 Excel 中能正常"
        "打开，请另存为 .xlsx 后重新放入，并把这条消息告诉维护人员",
        f"file {file_name} could not be read or validated and was not loaded (the other files were): "
        f"{detail}. If it opens in Excel, save it again as .xlsx, drop it again and tell the maintainers",
    )
