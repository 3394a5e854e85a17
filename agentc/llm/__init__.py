"""LLM backends behind one protocol (`LLM`), and the `ScriptedLLM` test double.

`OpenAILLM` (any OpenAI-compatible server) and `LangChainLLM` (any
langchain-core chat model) are here too; the in-process llama.cpp backend is
`agentc.edge.llamacpp.LlamaCppLLM` (build one with `agentc.edge.models.load_local_llm`).
"""

from agentc.llm.base import LLM, Completion, Grammars, JoinerGrammar, LLMChunk, Message, Usage, complete, count_tokens
from agentc.llm.langchain import LangChainLLM
from agentc.llm.openai import OpenAILLM
from agentc.llm.scripted import ScriptedLLM

__all__ = [
    "LLM",
    "Completion",
    "Grammars",
    "JoinerGrammar",
    "LLMChunk",
    "LangChainLLM",
    "Message",
    "OpenAILLM",
    "ScriptedLLM",
    "Usage",
    "complete",
    "count_tokens",
]
