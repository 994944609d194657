"""Finding the files of a source in the data folder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.errors import InputError, is_environment_fault
from pipelines.ingest.normalise import printable

LOADABLE_SUFFIXES = (".xlsx", ".csv")
REJECTED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".et", ".ods")


@dataclass(frozen=True)
class SourceFile:
    name: str  # file name relative to the source folder
    path: Path  # resolved path to read
    sha256: str  # "" when the file was refused before reading
    size: int
    refused_code: str | None = None
    refused_zh: str | None = None
    refused_en: str | None = None


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def check_data_dir(data_dir: Path) -> Path:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"数据文件夹不存在：{data_dir}", f"data folder does not exist: {data_dir}")
    return data_dir.resolve()


@dataclass(frozen=True)
class SourceEntry:
    """A file of a source folder as listed: before it is read or hashed."""

    name: str  # file name relative to the source folder
    path: Path  # resolved path to read (the link itself when refused as pointing outside)
    refused_code: str | None = None
    refused_zh: str | None = None
    refused_en: str | None = None

    @property
    def is_readable(self) -> bool:
        """Inside the data folder: its bytes may be read (and hashed), even when refused."""
        return self.refused_code != SYMLINK_OUTSIDE


SYMLINK_OUTSIDE = "symlink_outside_data_dir"


def source_entries(data_dir: Path, source: str) -> list[SourceEntry]:
    """Files of ``<data_dir>/<source>/`` in sorted name order, without reading them.

    Names starting with ``~$`` or ``.`` are ignored (Excel lock files, hidden files), and so
    is anything that is not a spreadsheet; legacy formats (.xls ...) and symlinks that point
    outside the data folder are listed as refused. The loaders and the file sensor both list here.
    """
    root = check_data_dir(data_dir)
    folder = root / source
    if not folder.is_dir():
        return []
    out: list[SourceEntry] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        shown = printable(name)
        if name.startswith(("~$", ".")):
            continue
        suffix = entry.suffix.lower()
        if suffix not in LOADABLE_SUFFIXES + REJECTED_SUFFIXES:
            continue
        # Resolve every entry, not only symlinked files: the source folder itself may be a link.
        target = entry.resolve()
        if not target.is_relative_to(root):
            if entry.is_symlink():
                zh = f"文件 {shown} 是指向数据文件夹之外（{printable(str(target))}）的符号链接，已拒绝读取"
                en = (f"file {shown} is a symbolic link pointing outside the data folder "
                      f"({printable(str(target))}); refused")
            else:
                zh = (
                    f"文件 {shown} 所在的 {source}/ 文件夹是指向数据文件夹之外"
                    f"（{printable(str(target.parent))}）的符号链接，已拒绝读取"
                )
                en = (
                    f"file {shown}: its folder {source}/ is a symbolic link pointing outside the data folder "
                    f"({printable(str(target.parent))}); refused"
                )
            out.append(SourceEntry(name, entry, SYMLINK_OUTSIDE, zh, en))
            continue
        if not target.is_file():
            continue
        if suffix in REJECTED_SUFFIXES:
            out.append(
                SourceEntry(
                    name,
                    target,
                    "unsupported_format",
                    f"文件 {shown}：不支持的文件格式 {printable(suffix)}，请另存为 .xlsx 或 .csv",
                    f"file {shown}: unsupported format {printable(suffix)}; save it as .xlsx or .csv",
                )
            )
            continue
        out.append(SourceEntry(name, target))
    return out


def list_source_files(data_dir: Path, source: str) -> list[SourceFile]:
    """Files of ``<data_dir>/<source>/`` in sorted name order, hashed (see ``source_entries``)."""
    out: list[SourceFile] = []
    for e in source_entries(data_dir, source):
        if not e.is_readable:
            out.append(SourceFile(e.name, e.path, "", 0, e.refused_code, e.refused_zh, e.refused_en))
            continue
        try:
            size = e.path.stat().st_size
            sha = sha256_of(e.path)
        except OSError as exc:  # e.g. no permission to read it: this file, not the folder, is refused
            if is_environment_fault(exc):
                raise
            shown = printable(e.name)
            out.append(SourceFile(
                e.name, e.path, "", 0, "unreadable_file",
                f"文件 {shown} 无法打开：{exc.strerror or exc}（请检查该文件的权限）",
                f"file {shown} cannot be opened: {exc.strerror or exc} (check the file's permissions)",
            ))
            continue
        out.append(SourceFile(e.name, e.path, sha, size, e.refused_code, e.refused_zh, e.refused_en))
    return out


@dataclass(frozen=True)
class IgnoredEntry:
    """Something in a source folder that is not read, listed in the load report so nobody wonders
    why its rows are missing: a sub-folder (``name`` ends with ``/``) or a file that is not a
    spreadsheet. Excel lock files (``~$…``) and hidden files (``.…``) are not listed."""

    name: str
    reason_zh: str
    reason_en: str


def ignored_entries(data_dir: Path, source: str) -> list[IgnoredEntry]:
    folder = check_data_dir(data_dir) / source
    if not folder.is_dir():
        return []
    out = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name, shown = entry.name, printable(entry.name)
        if name.startswith(("~$", ".")):
            continue
        if entry.is_dir():
            out.append(IgnoredEntry(
                name + "/",
                f"子文件夹 {shown}/ 中的文件不会被读取：请把要载入的文件直接放在 {source}/ 文件夹中",
                f"files in the sub-folder {shown}/ are not read: put the files to load directly in {source}/",
            ))
        elif entry.suffix.lower() not in LOADABLE_SUFFIXES + REJECTED_SUFFIXES:
            out.append(IgnoredEntry(
                name,
                f"{shown} 不是 .xlsx 或 .csv 表格文件，不会被读取",
                f"{shown} is not an .xlsx or .csv spreadsheet and is not read",
            ))
    return out
