"""Tool retrieval: which tools go into the planner prompt (ToolRAG).

Every retriever has the same small interface (`Retriever`): `fit(tools,
examples)`, `add_tool(tool, examples=...)`, `search(query, k)` ->
`[(tool_name, score)]`, `save(path)` and `load(path)`.

- `BM25Retriever`: words of the query against names and descriptions.
- `Tool2VecRetriever(use_examples=False)`: description embeddings.
- `Tool2VecRetriever`: a tool is the mean embedding of queries that used it.
- `HybridRetriever`: Tool2Vec and BM25 scores fused.
- `ToolRefiner`: a trained scorer re-ranks the hybrid's top candidates.
- `MLCRetriever`: a multi-label classifier, one output per tool.

`select_tools(retriever, query, tools, k)` is what a planner calls;
`evaluate_retrieval` and the `agentc eval retrieval` command
(`agentc.evals.retrieval.cli.retrieval_app`) measure them. Embeddings come from
`SentenceEncoder` (the packaged all-MiniLM-L6-v2 by default, offline), cached
on disk. Torch is imported only to train the refiner and MLC.
"""

from agentc.retrieval.base import Example, Retriever, ToolCard, ToolLike
from agentc.retrieval.bm25 import BM25Retriever
from agentc.retrieval.datasets import (
    RetrievalDataset,
    load_dataset,
    load_jsonl,
    load_metatool,
    load_seal_tools,
    split_queries,
)
from agentc.retrieval.encoder import Encoder, SentenceEncoder
from agentc.retrieval.errors import DatasetError, EncoderError, RetrievalError, RetrieverStateError
from agentc.retrieval.evaluate import RetrievalReport, evaluate_retrieval
from agentc.retrieval.hybrid import HybridRetriever
from agentc.retrieval.methods import METHODS, make_retriever
from agentc.retrieval.metrics import ndcg_at_k, recall_at_k
from agentc.retrieval.mlc import MLCRetriever
from agentc.retrieval.persist import load_retriever
from agentc.retrieval.refiner import ToolRefiner
from agentc.retrieval.select import ToolRAG, select_tools
from agentc.retrieval.tool2vec import Tool2VecRetriever

__all__ = [
    "BM25Retriever",
    "ToolRAG",
    "DatasetError",
    "Encoder",
    "EncoderError",
    "Example",
    "HybridRetriever",
    "METHODS",
    "MLCRetriever",
    "RetrievalDataset",
    "RetrievalError",
    "RetrievalReport",
    "Retriever",
    "RetrieverStateError",
    "SentenceEncoder",
    "Tool2VecRetriever",
    "ToolCard",
    "ToolLike",
    "ToolRefiner",
    "evaluate_retrieval",
    "load_dataset",
    "load_jsonl",
    "load_metatool",
    "load_seal_tools",
    "load_retriever",
    "make_retriever",
    "ndcg_at_k",
    "recall_at_k",
    "select_tools",
    "split_queries",
]
