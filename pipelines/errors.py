"""Errors users are meant to read: each carries its message in Chinese and in English."""

from __future__ import annotations


class PipelineError(Exception):
    """An expected failure (bad folder, locked or corrupt warehouse, ...): shown without a traceback."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh}\n{message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
