"""The examples a user copies from run as they are, on the bundled local
model, and print what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "120"}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_quickstart_plans_both_lookups_and_answers_with_their_figures():
    out = run_example("quickstart.py")
    assert 'get_temperature(city="Paris")' in out and 'get_temperature(city="Tokyo")' in out
    answer = next(line for line in out.splitlines() if line.startswith("Answer:"))
    assert "14" in answer and "19.5" in answer, answer
    assert "2 task(s) began while the plan was still being written" in out


def test_the_typed_output_example_prints_a_validated_object():
    out = run_example("typed_output.py")
    assert "42.16" in out, out
