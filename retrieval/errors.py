"""The errors tool retrieval raises, all under `agentc.errors.AgentcError`.

    AgentcError
    └── RetrievalError        a retriever cannot do what was asked
        ├── EncoderError      the sentence encoder cannot be loaded or run
        ├── DatasetError      an evaluation set is missing or malformed (names file and line)
        └── RetrieverStateError  a retriever is used before `fit`, or a saved one cannot be read

They live here rather than in `agentc/errors.py` because retrieval is an
optional extra: the core never raises them.
"""

from __future__ import annotations

from agentc.errors import AgentcError


class RetrievalError(AgentcError):
    """Base class of every error raised by `agentc.retrieval`."""


class EncoderError(RetrievalError):
    """The sentence encoder could not be loaded or could not encode."""


class DatasetError(RetrievalError):
    """An evaluation data set is missing, or a file in it is malformed."""


class RetrieverStateError(RetrievalError):
    """A retriever was searched before `fit`, or a saved retriever cannot be loaded."""
