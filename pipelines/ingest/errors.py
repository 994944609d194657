"""Exceptions of the ingest layer."""

from __future__ import annotations

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
