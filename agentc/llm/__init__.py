"""LLM backends behind one protocol (`LLM`), and the `ScriptedLLM` test double."""

from agentc.llm.base import LLM, Completion, LLMChunk, Message, Usage, complete, count_tokens
from agentc.llm.scripted import ScriptedLLM

__all__ = ["LLM", "Completion", "LLMChunk", "Message", "ScriptedLLM", "Usage", "complete", "count_tokens"]
