"""llama.cpp's own grammar engine, used to compile and to match GBNF text.

Why this exists: in llama-cpp-python 0.3.36 `LlamaGrammar.from_string` only
stores the text; the grammar is parsed when a sampler is built, and a grammar
llama.cpp cannot parse yields a NULL sampler that crashes the process when it
is added to the sampler chain. `check_grammar` parses it first and turns the
failure into an `LLMError`. `grammar_accepts` feeds a text's tokens through
the same grammar sampler generation uses, so tests can check exactly which
texts a generated grammar allows, with no model weights involved (a
vocabulary-only `Llama` is enough).
"""

from __future__ import annotations

import ctypes
import math
from typing import TYPE_CHECKING, Any

from agentc.errors import LLMError

if TYPE_CHECKING:
    from llama_cpp import Llama


def check_grammar(llama: "Llama", grammar: str) -> None:
    """Raise `LLMError` if llama.cpp cannot parse `grammar` (root rule `root`)."""
    sampler = _grammar_sampler(llama, grammar)
    _free(sampler)


def grammar_accepts(llama: "Llama", grammar: str, text: str) -> bool:
    """True if `grammar` allows `text` as a whole output (the end of text included)."""
    import llama_cpp

    sampler = _grammar_sampler(llama, grammar)
    try:
        tokens = llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        for token in tokens:
            if not _allowed(sampler, token):
                return False
            llama_cpp.llama_sampler_accept(sampler, token)
        return _allowed(sampler, llama.token_eos())
    finally:
        _free(sampler)


def _grammar_sampler(llama: "Llama", grammar: str) -> Any:
    import llama_cpp

    vocab = llama_cpp.llama_model_get_vocab(llama.model)
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not sampler:
        first = grammar.strip().splitlines()[0][:120] if grammar.strip() else "(empty)"
        raise LLMError(
            "llama.cpp could not parse the GBNF grammar (its reason is printed on stderr); "
            f"the grammar starts with: {first!r}. Check the rule names (letters, digits and '-') "
            "and that a `root` rule exists"
        )
    return sampler


def _allowed(sampler: Any, token: int) -> bool:
    """Whether the grammar, in its current state, lets `token` come next."""
    import llama_cpp

    data = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
    candidates = llama_cpp.llama_token_data_array(data, 1, -1, False)
    llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
    return not math.isinf(data[0].logit)


def _free(sampler: Any) -> None:
    import llama_cpp

    llama_cpp.llama_sampler_free(sampler)
