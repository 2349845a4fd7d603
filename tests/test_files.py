"""Bounded reads of files by path: whole when within the limit, nothing when over it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from argolint.source.files import read_bounded_path


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 200_000)  # more than one read's chunk
    assert read_bounded_path(path, 200_000) == (b"x" * 200_000, 200_000)


def test_a_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 101)
    assert read_bounded_path(path, 100) == (b"", 101)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_up_to_one_byte_past_the_limit(tmp_path: Path) -> None:
    pipe = tmp_path / "rendered.yaml"
    os.mkfifo(pipe)

    def write() -> None:
        with open(pipe, "wb") as stream:
            stream.write(b"y" * 50)

    writer = threading.Thread(target=write)
    writer.start()
    data, size = read_bounded_path(pipe, 10)
    writer.join()
    assert (data, size) == (b"y" * 11, 11)


def test_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_bounded_path(tmp_path / "missing.yaml", 10)
