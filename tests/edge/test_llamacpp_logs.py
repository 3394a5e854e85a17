"""llama.cpp's own log lines stay out of a command's output unless asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LOAD = """
import sys
from agentc.edge.llamacpp import LlamaCppLLM
# a context longer than SmolLM2 was trained on: llama.cpp warns about it
LlamaCppLLM(sys.argv[1], n_ctx=16384, kv_cache="q4_0", verbose=sys.argv[2] == "verbose").close()
print("loaded")
"""


def load(smollm2_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    """Load the model in a fresh process (llama.cpp's logging is per process)."""
    return subprocess.run(
        [sys.executable, "-c", LOAD, str(smollm2_path), mode], capture_output=True, text=True, timeout=300, check=True
    )


def test_a_quiet_model_prints_nothing_and_a_verbose_one_its_log(smollm2_path: Path) -> None:
    quiet = load(smollm2_path, "quiet")
    assert quiet.stdout == "loaded\n" and quiet.stderr == ""
    verbose = load(smollm2_path, "verbose")
    assert "n_ctx_seq (16384) > n_ctx_train (8192)" in verbose.stderr and "print_info:" in verbose.stderr
