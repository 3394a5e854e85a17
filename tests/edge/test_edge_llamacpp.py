"""`LlamaCppLLM` with the bundled SmolLM2-135M model, for real."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from agentc.edge.llamacpp import LlamaCppLLM
from agentc.errors import LLMError
from agentc.llm.base import LLM, LLMChunk, Message, complete

STORY = [Message("user", "Write a long story about a cat who sails around the world.")]


async def wait_idle(llm: LlamaCppLLM, seconds: float = 10.0) -> float:
    """Seconds until the model's worker let go of it."""
    start = time.perf_counter()
    while llm.busy and time.perf_counter() - start < seconds:
        await asyncio.sleep(0.005)
    return time.perf_counter() - start


def test_is_an_llm(smollm2: LlamaCppLLM) -> None:
    assert isinstance(smollm2, LLM)
    assert smollm2.has_chat_template
    assert smollm2.kv_cache == "q4_0"
    assert smollm2.adapter_path is None and smollm2.repeat_penalty == 1.1  # an untuned model keeps the penalty


async def test_streams_tokens_with_exact_usage(smollm2: LlamaCppLLM) -> None:
    chunks: list[LLMChunk] = [c async for c in smollm2.stream(STORY, max_tokens=24)]
    texts = [c.text for c in chunks if c.text]
    assert len(texts) >= 10, "tokens should arrive one by one, not all at once"
    usage = chunks[-1].usage
    assert usage is not None and all(c.usage is None for c in chunks[:-1])
    prompt = smollm2.llama.tokenize(smollm2.render_prompt(STORY).encode(), add_bos=False, special=True)
    assert usage.prompt_tokens == len(prompt)
    assert usage.completion_tokens == 24
    assert smollm2.last_usage == usage


async def test_stop_sequences_cut_the_text_where_they_start(smollm2: LlamaCppLLM) -> None:
    free = await complete(smollm2, STORY, max_tokens=40)
    assert len(free.text) > 40
    stop = free.text[12:14]
    stopped = await complete(smollm2, STORY, max_tokens=40, stop=["never there", stop])
    assert stopped.text == free.text[: free.text.index(stop)]
    assert stop not in stopped.text
    assert stopped.usage.completion_tokens < free.usage.completion_tokens


async def test_a_stop_string_split_over_tokens_is_never_streamed(smollm2: LlamaCppLLM) -> None:
    free = await complete(smollm2, STORY, max_tokens=40)
    stop = free.text[6:16]  # ten characters: several tokens, streamed one by one
    chunks = [c.text async for c in smollm2.stream(STORY, max_tokens=40, stop=[stop])]
    assert "".join(chunks) == free.text[: free.text.index(stop)]


async def test_grammar_constrains_the_output(smollm2: LlamaCppLLM) -> None:
    question = [Message("user", "Is the sky blue? Answer yes or no.")]
    answer = await complete(smollm2, question, grammar='root ::= "yes" | "no"', max_tokens=10)
    assert answer.text in ("yes", "no")


async def test_json_schema_constrains_the_output(smollm2: LlamaCppLLM) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string", "maxLength": 20}, "population": {"type": "integer"}},
        "required": ["city", "population"],
    }
    question = [Message("user", "Give the largest city of Japan and its population as JSON.")]
    answer = await complete(smollm2, question, json_schema=schema, max_tokens=60)
    data = json.loads(answer.text)
    assert set(data) == {"city", "population"} and isinstance(data["population"], int)


async def test_a_bad_grammar_is_an_llm_error_and_the_model_still_works(smollm2: LlamaCppLLM) -> None:
    with pytest.raises(LLMError, match="could not parse the GBNF grammar"):
        await complete(smollm2, STORY, grammar="root ::= missing-rule", max_tokens=5)
    after = await complete(smollm2, STORY, max_tokens=5)
    assert after.usage.completion_tokens == 5


async def test_the_event_loop_keeps_running_while_the_model_writes(smollm2: LlamaCppLLM) -> None:
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    arrivals = [time.perf_counter() async for _ in smollm2.stream(STORY, max_tokens=48)]
    task.cancel()
    during = [t for t in ticks if arrivals[0] < t < arrivals[-1]]
    assert len(during) >= 10, f"only {len(during)} ticks while generating for {arrivals[-1] - arrivals[0]:.2f} s"


async def test_closing_the_stream_stops_generation(smollm2: LlamaCppLLM) -> None:
    stream = smollm2.stream(STORY, max_tokens=1000)
    got = [await anext(stream) for _ in range(3)]
    assert all(c.text for c in got)
    await stream.aclose()
    assert await wait_idle(smollm2) < 5.0
    assert smollm2.last_usage is not None and smollm2.last_usage.completion_tokens < 50


async def test_cancelling_the_consumer_stops_generation(smollm2: LlamaCppLLM) -> None:
    first = asyncio.Event()

    async def consume() -> None:
        async for _ in smollm2.stream(STORY, max_tokens=1000):
            first.set()

    task = asyncio.create_task(consume())
    await first.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await wait_idle(smollm2) < 5.0
    assert smollm2.last_usage is not None and smollm2.last_usage.completion_tokens < 50


async def test_concurrent_calls_on_one_model_are_serialised(smollm2: LlamaCppLLM) -> None:
    async def timed(messages: list[Message]) -> list[float]:
        return [time.perf_counter() async for c in smollm2.stream(messages, max_tokens=16) if c.text]

    one, two = await asyncio.gather(timed(STORY), timed([Message("user", "Name three colours.")]))
    assert one and two
    assert max(one) < min(two) or max(two) < min(one), "the two completions' tokens interleaved"
    assert smollm2.last_usage is not None and 1 <= smollm2.last_usage.completion_tokens <= 16


async def test_max_tokens_zero_and_an_oversized_prompt(smollm2: LlamaCppLLM) -> None:
    nothing = await complete(smollm2, STORY, max_tokens=0)
    assert nothing.text == "" and nothing.usage.completion_tokens == 0
    huge = [Message("user", "word " * 3000)]
    with pytest.raises(LLMError, match="n_ctx"):
        await complete(smollm2, huge, max_tokens=5)


def test_chat_formats(smollm2: LlamaCppLLM) -> None:
    assert "<|im_start|>user\nhi<|im_end|>" in smollm2.render_prompt([Message("user", "hi")])
    gemma = LlamaCppLLM(smollm2.llama, chat_format="gemma")
    prompt = gemma.render_prompt([Message("system", "be brief"), Message("user", "hi"), Message("assistant", "hello")])
    assert prompt.endswith(
        "<start_of_turn>user\nbe brief<end_of_turn>\n<start_of_turn>user\nhi<end_of_turn>\n"
        "<start_of_turn>model\nhello<end_of_turn>\n<start_of_turn>model\n"
    )
    with pytest.raises(LLMError, match="unknown chat_format 'vicuna'"):
        LlamaCppLLM(smollm2.llama, chat_format="vicuna")


@pytest.mark.parametrize("kv_cache,expected", [("q4_0", 13_271_040), ("f16", 47_185_920)])
async def test_kv_cache_types_load_generate_and_report_their_size(
    smollm2_path: Path, kv_cache: str, expected: int
) -> None:
    """Sizes as llama.cpp reports them when it allocates the cache
    (2048 cells x 30 layers: 12.66 MiB at q4_0, 45 MiB at f16)."""
    llm = LlamaCppLLM(smollm2_path, n_ctx=2048, kv_cache=kv_cache)  # type: ignore[arg-type]
    try:
        assert llm.kv_cache == kv_cache
        assert llm.kv_cache_bytes == expected
        cores = os.cpu_count() or 2
        assert (llm.llama.n_threads, llm.llama.n_threads_batch) == (max(1, cores - 1), cores)
        answer = await complete(llm, STORY, max_tokens=16)
        assert answer.usage.completion_tokens == 16 and len(answer.text) > 20
    finally:
        llm.close()


def test_bad_model_arguments_are_llm_errors(tmp_path: Path) -> None:
    with pytest.raises(LLMError, match="no GGUF model file at"):
        LlamaCppLLM(tmp_path / "missing.gguf")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model")
    with pytest.raises(LLMError, match="could not load"):
        LlamaCppLLM(broken)
    with pytest.raises(LLMError, match="kv_cache='q8'"):
        LlamaCppLLM(broken, kv_cache="q8")  # type: ignore[arg-type]


def test_a_thread_count_given_is_used_for_reading_and_generating(smollm2_path: Path) -> None:
    """A user who asks for one thread (a busy machine, a test beside others)
    gets one for the prompt too, unless they set `n_threads_batch`."""
    llm = LlamaCppLLM(smollm2_path, n_ctx=256, n_threads=1)
    other = LlamaCppLLM(smollm2_path, n_ctx=256, n_threads=1, n_threads_batch=3)
    try:
        assert (llm.llama.n_threads, llm.llama.n_threads_batch) == (1, 1)
        assert (other.llama.n_threads, other.llama.n_threads_batch) == (1, 3)
    finally:
        llm.close()
        other.close()


async def test_gemma3_has_no_chat_template_and_uses_turns(gemma3: LlamaCppLLM) -> None:
    assert not gemma3.has_chat_template
    assert gemma3.kv_cache_bytes == 10_616_832  # llama.cpp: 1.69 MiB (3 global layers) + 8.44 MiB (15 SWA layers)
    prompt = gemma3.render_prompt([Message("user", "hi")])
    assert prompt == "<bos><start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n"
    answer = await complete(gemma3, [Message("user", "What is the capital of France?")], max_tokens=12)
    assert answer.usage.completion_tokens >= 1 and answer.text.strip()


async def test_closing_while_a_stopped_reader_left_the_worker_decoding_waits_for_it(smollm2_path: Path) -> None:
    """A reader that stops early leaves the worker thread mid-decode; closing
    the model then must wait for it (freeing the model under it crashed)."""
    llm = LlamaCppLLM(smollm2_path, n_ctx=512)
    stream = llm.stream(STORY, max_tokens=200)
    async for chunk in stream:
        if chunk.text:
            break
    await stream.aclose()
    llm.close()
    assert not llm.busy
    with pytest.raises(LLMError, match="was closed"):
        await complete(llm, STORY, max_tokens=4)
