"""The wheel ships what the installed tool reads at run time: the rule catalogue (for
``--explain``, ``--list-rules`` and SARIF help) and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_every_catalogue_page_and_the_console_script(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = tmp_path.glob("argolint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    pages = {p.name for p in (ROOT / "rules").glob("*.md")}
    shipped = {Path(n).name for n in names if n.startswith("argolint/_catalogue/")}
    assert pages and pages <= shipped, f"missing from the wheel: {sorted(pages - shipped)}"
    assert "argolint = argolint.cli:main" in scripts
    assert not [n for n in names if n.startswith(("tests/", "fixtures/"))]
