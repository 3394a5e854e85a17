"""A typed answer from the bundled local model: `Agent(output_type=...)`.

The answer comes back as a validated pydantic object (`result.output`) as
well as text (`result.answer`, its JSON). On the llama.cpp backend the
joiner is held to the answer's JSON schema by a grammar, so the object
always validates; no API key, no network.

    python examples/typed_output.py
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agentc import Agent
from agentc.edge.models import load_local_llm
from agentc.tools.builtin import calculate, convert_units


class Conversion(BaseModel):
    """A distance converted to kilometres."""

    kilometres: float = Field(description="the distance in kilometres")


def main() -> None:
    llm = load_local_llm()  # SmolLM2-135M with its tuned planner adapter
    try:
        agent = Agent(llm, [calculate, convert_units], output_type=Conversion)
        result = agent.run("How many kilometres is 26.2 miles?")
    finally:
        llm.close()
    print("plan:", result.trace.plans[-1].strip().replace("\n", " | "))
    print("output:", repr(result.output))
    print("answer:", result.answer)


if __name__ == "__main__":
    main()
