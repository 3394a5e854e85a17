"""agentc's parts import in one direction: `lint-imports` keeps the contracts
of pyproject.toml's [tool.importlinter] (DESIGN.md §2's layers).

pyproject.toml maps `agentc.planners`, `agentc.tools`, ... to top-level
folders, and import-linter reads a package from one folder, so the test
assembles that folder from symbolic links first: the package as installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def assemble_package(into: Path) -> None:
    """`agentc` as one folder tree under `into`, linked to the repository's folders."""
    folders = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    package = into / "agentc"
    package.mkdir()
    for entry in (ROOT / folders["agentc"]).iterdir():
        (package / entry.name).symlink_to(entry)
    for name, folder in folders.items():
        if name != "agentc":
            (into / name.replace(".", "/")).symlink_to(ROOT / folder)


def test_every_part_imports_only_the_parts_below_it(tmp_path: Path) -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "lint-imports is missing: pip install -e '.[dev]'"
    assemble_package(tmp_path)
    checked = subprocess.run(
        [lint_imports, "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
