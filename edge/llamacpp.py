"""`LlamaCppLLM`: a GGUF model run in process by llama-cpp-python.

The edge backend: no server, no network, a 4-bit KV cache by default, and
GBNF grammars so a small model can only write what the parser accepts.

llama.cpp calls block, so each completion runs in a worker thread that hands
text to the event loop through an asyncio queue (`call_soon_threadsafe`);
tools keep running while the model writes. A lock serialises completions on
one model (a llama.cpp context holds one sequence), and a consumer that stops
reading (cancelled, or `aclose()`d) stops generation at the next token.

The backend drives `Llama.generate` token by token rather than
`create_chat_completion(stream=True)`: in llama-cpp-python 0.3.36 streamed
chunks carry no token counts, and counting the tokens as they are sampled is
what makes `Usage` exact. The prompt is rendered with llama-cpp-python's own
`Jinja2ChatFormatter`, from the GGUF's chat template when it has one, else
from `TURN_TEMPLATE` (Gemma's turn format; Gemma 3 270M's GGUF has none).
Because `generate` keeps the evaluated tokens, a prompt that starts like the
previous one only evaluates its new part (prefix caching).
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import json
import os
import sys
import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Literal, Sequence

from agentc.edge.gbnf import check_grammar
from agentc.errors import AgentcError, LLMError
from agentc.llm.base import JoinerGrammar, LLMChunk, Message, Usage, find_stop, stop_prefix_length

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar

KVCache = Literal["auto", "q4_0", "q8_0", "f16"]

AUTO_Q4_ABOVE = 8192
"""`kv_cache="auto"` keeps an f16 cache up to this context length and a
4-bit one above it. Measured on 2 CPU cores (benchmarks/RESULTS.md, "Edge"):
q4_0 takes 0.28x f16's memory but runs 2-5x slower, and it moved tuned
plans further from the reference decoding; at 4k tokens an f16 cache of
SmolLM2 is 90 MiB, so the 4-bit cache earns its place only on long
contexts, where the memory it saves grows with every token."""

TURN_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "<start_of_turn>{{ 'model' if message['role'] == 'assistant' else 'user' }}\n"
    "{{ message['content'] }}<end_of_turn>\n"
    "{% endfor %}{{ '<start_of_turn>model\n' }}"
)
"""Gemma's turn format, for models whose GGUF has no chat template. Gemma has
no system role, so a system message becomes a user turn."""

_GRAMMAR_CACHE_SIZE = 32
_BYTES_PER_VALUE = {0: 4.0, 1: 2.0, 2: 18 / 32, 8: 34 / 32}
"""Bytes per cached value by ggml type: F32, F16, Q4_0 (18-byte blocks of 32), Q8_0."""


class LlamaCppLLM:
    """An `LLM` backed by a llama.cpp model in this process.

    `model` is the path of a GGUF file or a loaded `llama_cpp.Llama` (then
    `n_ctx`, `n_threads`, `seed`, `kv_cache` and `flash_attn` are the ones it
    was loaded with). `kv_cache="q4_0"` stores keys and values in 4 bits
    (about 3.5x smaller than f16; "q8_0" about 1.9x), which needs flash
    attention, so `flash_attn` defaults to on for quantized caches and off
    for f16; "auto" (the default) is f16 up to `AUTO_Q4_ABOVE` tokens of
    context and q4_0 above. `chat_format` is
    None (the GGUF's chat template, else `TURN_TEMPLATE`), "gemma", "chatml",
    or a Jinja2 chat template. `temperature=0` samples greedily.
    `repeat_penalty` divides the scores of tokens written in the last 64:
    without an adapter it is 1.1 (as llama-cpp-python's chat completions
    use), which keeps an untuned small model from looping inside a string
    (with the plan grammar, untuned SmolLM2 finished 5 of 6 test plans
    within 400 tokens at 1.0 and all 6 at 1.1); with an adapter it is 1.0,
    because a model tuned on plans copies numbers, whose digits a plan has
    usually written already (at 1.1 the tuned SmolLM2 planned "108 * 88."
    for "108 * 88.01" and "2551.8 / 100 * 2551.8" for "15% of 2551.8").
    `n_threads` (generating tokens) defaults to one fewer than the
    cores and `n_threads_batch` (reading the prompt) to `n_threads` when
    that is given, else to every core (see `thread_counts`).
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | "Llama",
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_threads_batch: int | None = None,
        seed: int = 0,
        kv_cache: KVCache = "auto",
        flash_attn: bool | None = None,
        chat_format: str | None = None,
        temperature: float = 0.0,
        repeat_penalty: float | None = None,
        adapter: str | os.PathLike[str] | None = None,
        max_plan_tasks: int = 8,
        verbose: bool = False,
    ) -> None:
        llama_cpp = _import_llama_cpp()
        if isinstance(model, llama_cpp.Llama):
            self.llama = model
        else:
            threads = thread_counts(n_threads, n_threads_batch)
            self.llama = _load(Path(model), n_ctx, threads, seed, kv_cache, flash_attn, adapter, verbose)
        self.adapter_path = Path(self.llama.lora_path) if self.llama.lora_path else None
        """The LoRA adapter applied to the model, if any (`adapter=`)."""
        self.max_plan_tasks = max_plan_tasks
        self.temperature = temperature
        self.repeat_penalty = repeat_penalty if repeat_penalty is not None else 1.0 if self.adapter_path else 1.1
        self.model_path = Path(self.llama.model_path)
        template, self._template_stops = self._chat_template(chat_format)
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self._formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=self._token_text(self.llama.token_eos()),
            bos_token=self._token_text(self.llama.token_bos()),
        )
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._grammars: OrderedDict[str, "LlamaGrammar"] = OrderedDict()
        self.last_usage: Usage | None = None
        """Token counts of the last finished (or stopped) completion."""

    # what the model is

    @property
    def has_chat_template(self) -> bool:
        """Whether the GGUF carries its own chat template."""
        return "tokenizer.chat_template" in self.llama.metadata

    @property
    def busy(self) -> bool:
        """Whether a completion is running (or waiting to stop) on this model."""
        return self._lock.locked()

    @property
    def kv_cache(self) -> str:
        """The KV cache value type: "q4_0", "f16", or the ggml type number."""
        names = {2: "q4_0", 1: "f16", 0: "f32", 8: "q8_0"}
        return names.get(self.llama.context_params.type_k, str(self.llama.context_params.type_k))

    @property
    def architecture(self) -> str:
        """The GGUF's `general.architecture` ("llama" for SmolLM2, "gemma3"):
        an adapter must be exported for the same one."""
        return str(self.llama.metadata.get("general.architecture", "llama"))

    @property
    def attention_heads(self) -> tuple[int, int]:
        """The model's attention heads and key-value heads (the cache's size
        and an adapter's export depend on them)."""
        meta = self.llama.metadata
        arch = self.architecture
        heads = int(meta[f"{arch}.attention.head_count"])
        return heads, int(meta.get(f"{arch}.attention.head_count_kv", heads))

    @property
    def kv_cache_bytes(self) -> int:
        """Bytes the KV cache takes for the full context: cells x layers x
        KV heads x (key + value width), at the cache's bytes per value.

        Matches what llama.cpp logs when it allocates the cache: 12.66 MiB
        (q4_0) and 45 MiB (f16) for SmolLM2 at n_ctx=2048; 10.12 and 36 MiB
        for Gemma 3 270M, whose sliding-window layers get a full-size cache
        in llama-cpp-python 0.3.36."""
        meta = self.llama.metadata
        arch = meta.get("general.architecture", "llama")
        layers = int(meta[f"{arch}.block_count"])
        heads, kv_heads = self.attention_heads
        width = int(meta[f"{arch}.embedding_length"]) // heads
        key = int(meta.get(f"{arch}.attention.key_length", width))
        value = int(meta.get(f"{arch}.attention.value_length", width))
        params = self.llama.context_params
        per_cell = kv_heads * (key * _bytes_per_value(params.type_k) + value * _bytes_per_value(params.type_v))
        return round(self.llama.n_ctx() * layers * per_cell)

    @property
    def tuned(self) -> bool:
        """Whether a planner adapter is applied: a tuned model needs no
        few-shot examples in its prompts (it was trained without them)."""
        return self.adapter_path is not None

    # the grammars of its own decoding (`agentc.llm.Grammars`)

    def plan_grammar(self, tools: Sequence[Any], first_id: int, max_tasks: int) -> str:
        """The plan grammar over `tools`: ids in sequence, at most
        `max_plan_tasks` calls, and a plan of only `join()` possible (the
        planner may decline when no tool helps)."""
        from agentc.edge.grammar import agent_plan_grammar

        return agent_plan_grammar(tools, first_id, min(self.max_plan_tasks, max_tasks))

    def joiner_grammar(self, output_schema: dict[str, Any] | None = None) -> JoinerGrammar:
        """The grammar of a joiner decision: a thought, then Finish or Replan;
        with `output_schema`, Finish holds JSON that fits it (a typed answer).
        A tuned model's plain answers quote only figures its messages hold
        (`agentc.edge.grounded`): it was trained to restate results, and a
        figure it makes up is wrong."""
        from agentc.edge.grammar import joiner_grammar
        from agentc.edge.grounded import grounded_joiner_grammar

        if output_schema is None and self.tuned:
            return grounded_joiner_grammar
        return joiner_grammar(output_schema=output_schema)

    def render_prompt(self, messages: list[Message]) -> str:
        """The prompt text the model sees for `messages`."""
        return self._formatter(messages=[m.to_dict() for m in messages]).prompt

    # the LLM protocol

    async def stream(
        self,
        messages: list[Message],
        *,
        stop: list[str] | None = None,
        max_tokens: int | None = None,
        grammar: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> AsyncIterator[LLMChunk]:
        """Stream the completion of `messages`; the last chunk carries `Usage`.

        `grammar` (GBNF) constrains the output; else `json_schema` does,
        through llama-cpp-python's schema-to-GBNF converter.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        cancel = threading.Event()

        def send(kind: str, value: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
            except RuntimeError:  # the event loop is closed: nobody reads any more
                cancel.set()

        def work() -> None:
            try:
                usage = self._generate(messages, stop, max_tokens, grammar, json_schema, partial(send, "text"), cancel)
                send("done", usage)
            except BaseException as exc:  # handed to the reader, which raises it
                send("error", exc)

        threading.Thread(target=work, name="agentc-llamacpp", daemon=True).start()
        try:
            while True:
                kind, value = await queue.get()
                if kind == "text":
                    yield LLMChunk(value)
                elif kind == "done":
                    yield LLMChunk("", usage=value)
                    return
                else:
                    raise self._error(value) from value
        finally:
            cancel.set()

    def close(self) -> None:
        """Free the model and its context, once the completion in flight (if
        any) has stopped: its worker thread may still be decoding after the
        reader went away, and freeing the model under it would crash."""
        self._closed.set()
        with self._lock:
            self.llama.close()

    # generation, in the worker thread

    def _generate(
        self,
        messages: list[Message],
        stop: list[str] | None,
        max_tokens: int | None,
        grammar: str | None,
        json_schema: dict[str, Any] | None,
        emit: Callable[[str], None],
        cancel: threading.Event,
    ) -> Usage:
        import llama_cpp

        with self._lock:
            if self._closed.is_set():
                raise LLMError(f"the model {self.model_path.name} was closed; load it again to generate")
            if cancel.is_set():
                return Usage()
            prompt = self.llama.tokenize(self.render_prompt(messages).encode("utf-8"), add_bos=False, special=True)
            constraint = self._grammar(grammar, json_schema)
            room = self.llama.n_ctx() - len(prompt)
            if room <= 0:
                raise LLMError(
                    f"the prompt has {len(prompt)} tokens but the context of {self.model_path.name} holds "
                    f"{self.llama.n_ctx()}; load the model with a larger n_ctx= or shorten the prompt"
                )
            budget = room if max_tokens is None else min(max_tokens, room)
            stops = [s for s in [*(stop or []), *self._template_stops] if s]
            vocab = llama_cpp.llama_model_get_vocab(self.llama.model)
            tokens: list[int] = []
            text, sent = "", 0
            if budget > 0:
                tokens_out = self.llama.generate(
                    prompt, temp=self.temperature, repeat_penalty=self.repeat_penalty, grammar=constraint
                )
                for token in tokens_out:
                    if cancel.is_set() or self._closed.is_set() or llama_cpp.llama_vocab_is_eog(vocab, token):
                        break
                    tokens.append(token)
                    text = self.llama.detokenize(tokens, prev_tokens=prompt).decode("utf-8", errors="ignore")
                    cut = find_stop(text, stops)
                    if cut is not None:
                        text = text[:cut]
                        break
                    safe = len(text) - stop_prefix_length(text, stops)
                    if safe > sent:
                        emit(text[sent:safe])
                        sent = safe
                    if len(tokens) >= budget:
                        break
            if len(text) > sent and not cancel.is_set():
                emit(text[sent:])
            self.last_usage = Usage(prompt_tokens=len(prompt), completion_tokens=len(tokens))
            return self.last_usage

    def _grammar(self, grammar: str | None, json_schema: dict[str, Any] | None) -> "LlamaGrammar | None":
        """The compiled-and-checked grammar for this call, cached by its text."""
        if grammar is None and json_schema is not None:
            from llama_cpp.llama_grammar import json_schema_to_gbnf

            grammar = json_schema_to_gbnf(json.dumps(json_schema))
        if grammar is None:
            return None
        cached = self._grammars.get(grammar)
        if cached is None:
            from llama_cpp import LlamaGrammar

            check_grammar(self.llama, grammar)
            cached = LlamaGrammar.from_string(grammar, verbose=False)
            self._grammars[grammar] = cached
            if len(self._grammars) > _GRAMMAR_CACHE_SIZE:
                self._grammars.popitem(last=False)
        else:
            self._grammars.move_to_end(grammar)
        return cached

    def _chat_template(self, chat_format: str | None) -> tuple[str, list[str]]:
        """The Jinja2 template for `chat_format` and the stop strings it implies."""
        from llama_cpp.llama_chat_format import CHATML_CHAT_TEMPLATE

        named = {"gemma": TURN_TEMPLATE, "chatml": CHATML_CHAT_TEMPLATE}
        if chat_format is None:
            if self.has_chat_template:
                return self.llama.metadata["tokenizer.chat_template"], [self._token_text(self.llama.token_eos())]
            chat_format = "gemma"
        if chat_format in named:
            template = named[chat_format]
        elif "{{" in chat_format or "{%" in chat_format:
            template = chat_format
        else:
            raise LLMError(
                f"unknown chat_format {chat_format!r}; use None (the model's own template), "
                f"{', '.join(repr(n) for n in named)}, or a Jinja2 chat template"
            )
        stops = {"gemma": ["<end_of_turn>"], "chatml": ["<|im_end|>"]}.get(chat_format, [])
        return template, stops

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self.llama.detokenize([token], special=True).decode("utf-8", errors="ignore")

    def _error(self, exc: BaseException) -> AgentcError:
        if isinstance(exc, AgentcError):
            return exc
        return LLMError(f"llama.cpp failed while generating with {self.model_path.name}: {type(exc).__name__}: {exc}")


def _load(
    path: Path,
    n_ctx: int,
    threads: tuple[int, int],
    seed: int,
    kv_cache: KVCache,
    flash_attn: bool | None,
    adapter: str | os.PathLike[str] | None,
    verbose: bool,
) -> "Llama":
    llama_cpp = _import_llama_cpp()
    types = {"q4_0": llama_cpp.GGML_TYPE_Q4_0, "f16": llama_cpp.GGML_TYPE_F16}
    types["q8_0"] = llama_cpp.GGML_TYPE_Q8_0
    if kv_cache == "auto":
        kv_cache = "q4_0" if n_ctx > AUTO_Q4_ABOVE else "f16"
    if kv_cache not in types:
        raise LLMError(
            f"kv_cache={kv_cache!r} is not supported; use 'auto' (f16 up to {AUTO_Q4_ABOVE} tokens of context, "
            "4-bit above), 'f16', 'q8_0' or 'q4_0'"
        )
    if not path.is_file():
        raise LLMError(
            f"no GGUF model file at {path}; pass the path of a .gguf file, or use "
            "agentc.edge.models.resolve_model('smollm2' | 'gemma3') for a bundled model"
        )
    if adapter is not None and not Path(adapter).is_file():
        raise LLMError(f"no adapter file at {adapter}; pass the .gguf an `agentc tune` run wrote, or adapter=None")
    _route_llama_cpp_logs(verbose)
    try:
        return llama_cpp.Llama(
            str(path),
            n_ctx=n_ctx,
            n_threads=threads[0],
            n_threads_batch=threads[1],
            seed=seed,
            type_k=types[kv_cache],
            type_v=types[kv_cache],
            flash_attn=kv_cache != "f16" if flash_attn is None else flash_attn,
            lora_path=str(adapter) if adapter is not None else None,
            verbose=verbose,
        )
    except (ValueError, RuntimeError) as exc:
        raise LLMError(
            f"llama.cpp could not load {path}: {exc}; check the file is a complete GGUF model "
            "(re-install the package that ships it, or download it again)"
        ) from exc


_GGML_LOG_ERROR, _GGML_LOG_CONT = 4, 5
"""llama.cpp's log levels (ggml.h) of an error and of a line that continues the one before."""


def _route_llama_cpp_logs(verbose: bool) -> None:
    """Send llama.cpp's own log lines to stderr: all of them with `verbose`,
    else its errors only. llama-cpp-python 0.3.36's handler reads ggml's
    levels one off, so with `verbose=False` it still printed warnings, such
    as Gemma 3's `llama_adapter_lora_init_impl: ...` and `llama_context:
    n_ctx_seq ...` lines in the middle of a command's output. The setting
    is llama.cpp's, for the whole process."""
    llama_cpp = _import_llama_cpp()
    from llama_cpp import _logger

    llama_cpp.llama_log_set(_logger.llama_log_callback if verbose else _errors_only(), ctypes.c_void_p(0))


@functools.cache
def _errors_only() -> Any:
    """A llama.cpp log callback that writes error lines (and the lines that
    continue them) to stderr. Made once and kept: llama.cpp holds a pointer
    to it for as long as the process runs."""
    llama_cpp = _import_llama_cpp()
    last_level = [0]

    @llama_cpp.llama_log_callback
    def errors_only(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        if level != _GGML_LOG_CONT:
            last_level[0] = level
        if last_level[0] == _GGML_LOG_ERROR:
            sys.stderr.write(text.decode("utf-8", errors="replace"))
            sys.stderr.flush()

    return errors_only


def default_threads() -> tuple[int, int]:
    """Threads for generating tokens (one fewer than the cores, at least
    one) and for reading a prompt (every core).

    llama.cpp's threads wait for each other by spinning after every token,
    so when another process (or the agent's own tools) takes a core, using
    every core to generate collapses: SmolLM2 on 2 cores ran at 148 tokens/s
    with 2 threads and 120 with 1 when idle, but 25 with 2 and 82 with 1
    beside a busy process. Reading a prompt is one large batch with little
    waiting, so it takes every core: the main job on 2 idle cores took
    6.5-8.2 s reading with 2 threads and generating with 1, against 9.7-12.5 s
    with 1 and 1 and 7.1-7.8 s with 2 and 2; beside a busy process the
    three took 10.5-11.9 s, 10.3-11.4 s and 15.8-16.6 s.
    """
    cores = os.cpu_count() or 2
    return max(1, cores - 1), cores


def thread_counts(n_threads: int | None, n_threads_batch: int | None) -> tuple[int, int]:
    """The threads to generate and to read with: those given, else the
    defaults; a user who gives only `n_threads` (a busy machine, a test
    beside others) gets that many for reading too."""
    generating, reading = default_threads()
    return n_threads or generating, n_threads_batch or n_threads or reading


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise LLMError(
            f"the llama.cpp backend needs llama-cpp-python ({exc}); install it with: pip install 'agentc[local]'"
        ) from exc
    return llama_cpp


def _bytes_per_value(ggml_type: int) -> float:
    if ggml_type not in _BYTES_PER_VALUE:
        raise LLMError(f"cannot size a KV cache of ggml type {ggml_type}; known types: F32, F16, Q4_0, Q8_0")
    return _BYTES_PER_VALUE[ggml_type]


