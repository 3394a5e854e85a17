"""BM25 over tool names and descriptions (bm25s).

The lexical baseline, and the half of the hybrid retriever that serves
tools with no usage examples yet: an exact word from the query ("invoice",
"satellite") often names the tool better than any embedding.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from agentc.retrieval.base import Examples, ToolLike, check_unique, tool_text
from agentc.retrieval.errors import RetrievalError, RetrieverStateError
from agentc.retrieval.index import top_k
from agentc.retrieval.persist import read_state, write_state

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be but by can could do does for from get give how i if in into is it its me my no not of "
    "on or please some such that the their them then there these they this to was what when where which who will "
    "with would you your".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-case words without stop words, with plural endings folded (tools -> tool)."""
    tokens = []
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        tokens.append(word)
    return tokens


class BM25Retriever:
    """BM25 scores of the query's words against each tool's name and description.

    Usage examples are accepted (the interface is shared) and ignored. Adding
    a tool re-indexes the catalog, which is counting words, not training:
    milliseconds for thousands of tools.
    """

    method = "bm25"

    def __init__(self, *, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._names: list[str] = []
        self._texts: list[str] = []
        self._bm25: Any = None

    @property
    def tool_names(self) -> list[str]:
        return list(self._names)

    def fit(self, tools: Sequence[ToolLike], examples: Examples = ()) -> None:
        check_unique(tools)
        self._names = [t.name for t in tools]
        self._texts = [tool_text(t) for t in tools]
        self._reindex()

    def add_tool(self, tool: ToolLike, examples: Sequence[str] = ()) -> None:
        if tool.name in self._names:
            self._texts[self._names.index(tool.name)] = tool_text(tool)
        else:
            self._names.append(tool.name)
            self._texts.append(tool_text(tool))
        self._reindex()

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every tool for `query` (0 where no word matches)."""
        if self._bm25 is None:
            raise RetrieverStateError("the bm25 retriever has no tools yet; call fit(tools) first")
        return np.asarray(self._bm25.get_scores(tokenize(query)), dtype=np.float32)

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        rows, values = top_k(self.scores(query), k)
        return [(self._names[r], float(v)) for r, v in zip(rows, values)]

    def save(self, path: str | Path) -> None:
        config = {"k1": self.k1, "b": self.b, "names": self._names, "texts": self._texts}
        write_state(path, self.method, config, {})

    @classmethod
    def load(cls, path: str | Path, encoder: Any = None) -> "BM25Retriever":
        """Read a saved catalog and re-index it (`encoder` is accepted and unused)."""
        config, _ = read_state(path, cls.method)
        retriever = cls(k1=config["k1"], b=config["b"])
        retriever._names, retriever._texts = list(config["names"]), list(config["texts"])
        retriever._reindex()
        return retriever

    def _reindex(self) -> None:
        try:
            import bm25s
        except ImportError:
            raise RetrievalError("bm25s is not installed: pip install 'agentc[retrieval]' (or bm25s)") from None
        index = bm25s.BM25(k1=self.k1, b=self.b)
        # An empty document would break bm25s' vocabulary; the name always gives a word.
        index.index([tokenize(t) or ["_"] for t in self._texts], show_progress=False)
        self._bm25 = index
