"""Class 4: the trace records what each tool returned, whatever later tools
do to the values they are passed (or the tool does to what it returned)."""

from __future__ import annotations

import json

from agentc import Agent, tool
from agentc.llm import ScriptedLLM


async def test_a_downstream_tool_that_mutates_its_input_does_not_rewrite_history() -> None:
    kept: dict = {}

    @tool
    def fetch() -> dict:
        """A record with a list inside."""
        value = {"name": "Ann", "tags": ["a"]}
        kept["returned"] = value  # the tool keeps its own reference, and changes it later
        return value

    @tool
    def spoil(record: dict) -> str:
        """Changes the record it is given, in place."""
        record["name"] = "changed"
        record["tags"].append("spoiled")
        kept["returned"]["extra"] = True
        return "done"

    @tool
    def read(record: dict) -> str:
        """Reads the record it is given."""
        return f"{record['name']}:{','.join(record['tags'])}"

    plan = "1. fetch()\n2. spoil($1)\n3. read($1)\n4. join()"
    result = await Agent(ScriptedLLM([plan, "Action: Finish(ok)"]), [fetch, spoil, read]).arun("q")
    trace = result.trace
    assert trace.task(1).observation == {"name": "Ann", "tags": ["a"]}
    assert trace.task(2).args == {"record": {"name": "Ann", "tags": ["a"]}}, "the arguments as they were passed"
    assert trace.task(3).observation == "Ann:a", "each downstream tool gets its own copy"
    saved = json.loads(trace.to_json())
    assert saved["tasks"][0]["observation"] == {"name": "Ann", "tags": ["a"]}
