"""Reading a file whole, but never more than a limit: a huge file or ``/dev/zero`` must not
fill memory. Straight system calls: ``open()``'s buffered file object costs four times the
read itself for a small manifest, which is most of the time of reading thousands."""

from __future__ import annotations

import os
from pathlib import Path

_CHUNK = 1 << 16


def read_bounded_path(path: Path | str, limit: int) -> tuple[bytes, int]:
    """At most ``limit + 1`` bytes of the file (enough to know it is too big) and its size
    (a regular file's from the system, else what was read). Raises ``OSError``."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            return b"", size
        parts: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            data = os.read(fd, min(wanted, max(size + 1, _CHUNK)))
            if not data:
                break
            parts.append(data)
            wanted -= len(data)
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    return data, max(size, len(data))
