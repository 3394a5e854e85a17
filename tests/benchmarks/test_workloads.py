"""The race's workloads, oracles and pacing: deterministic, right, and fair."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from agentc.checks import PlanChecker
from agentc.errors import ToolError
from agentc.executor import ToolExecutor
from agentc.llm import Message, ScriptedLLM, complete
from agentc.parser import parse_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from oracles import SCRIPTS, example_for, levels, plan_text  # noqa: E402
from pacing import PacedLLM, bpe_pieces  # noqa: E402
from race import CONTENDERS, run_one  # noqa: E402
from workloads import WORKLOADS, first_number, generate, generate_all, is_correct, solve_with_tools  # noqa: E402


@pytest.fixture(scope="module")
def workloads():
    return generate_all(4, seed=7)


def test_the_same_seed_gives_the_same_workloads_and_another_seed_does_not(workloads):
    again = generate_all(4, seed=7)
    for name in WORKLOADS:
        assert again[name].questions == workloads[name].questions
        assert again[name].documents == workloads[name].documents
        assert again[name].example == workloads[name].example
    other = generate("2-way", 4, seed=8)
    assert [q.text for q in other.questions] != [q.text for q in workloads["2-way"].questions]


def test_shapes_follow_the_benchmarks(workloads):
    assert all(q.branch == 2 and q.depth == 1 and q.kind == "pick" for q in workloads["2-way"].questions)
    assert all(q.branch == 8 and q.depth == 1 and len(q.candidates) == 8 for q in workloads["8-way"].questions)
    pqa = generate("parallelqa", 10).questions
    assert all(2 <= q.branch <= 5 and q.kind == "number" for q in pqa)
    assert {q.depth for q in pqa} == {2, 3}  # search then math, and chains of math on math
    assert len({q.text for q in pqa}) == 10


@pytest.mark.parametrize("name", WORKLOADS)
async def test_every_gold_answer_is_what_the_tools_give(workloads, name):
    workload = workloads[name]
    for question in [workload.example, *workload.questions]:
        observations, values = await solve_with_tools(workload, question)
        assert observations == list(question.expected), question.id
        answer, _ = question.answer_from(values)
        assert answer == question.gold and is_correct(question, answer), question.id


async def test_a_few_gold_answers_checked_by_hand(workloads):
    question = workloads["2-way"].questions[0]
    search, _ = workloads["2-way"].tools()
    years = [first_number(await search.ainvoke({"query": s.query})) for s in question.steps]
    earlier = question.candidates[years.index(min(years))]
    assert question.text.startswith("Which company was founded earlier") and question.gold == earlier
    density = generate("parallelqa", 2).questions[1]
    assert density.text.startswith("What is the population density")
    search, math = generate("parallelqa", 2).tools()
    numbers = [first_number(await search.ainvoke({"query": s.query})) for s in density.steps[:4]]
    assert float(density.gold) == pytest.approx((numbers[0] + numbers[1]) / (numbers[2] + numbers[3]), abs=0.005)


async def test_math_reads_numbers_from_its_context_and_says_what_is_wrong():
    _, math = generate("parallelqa", 1).tools()
    assert await math.ainvoke({"expression": "(x1 + x2) / 2", "context": ["It has 1,200 people.", 800]}) == 1000
    assert await math.ainvoke({"expression": "2 * 21"}) == 42
    with pytest.raises(ValueError, match="x3 .* needs context item 3, but the context has 2"):
        await math.ainvoke({"expression": "x3", "context": [1, 2]})
    with pytest.raises(ToolError, match="context item 1 holds no number"):
        await ToolExecutor(retries=0).call(math, {"expression": "x1", "context": ["none here"]})


async def test_tools_sleep_for_the_run_latency(workloads):
    search, math = workloads["2-way"].tools(latency=0.2)
    began = time.perf_counter()
    await asyncio.gather(search.ainvoke({"query": "anything"}), math.ainvoke({"expression": "1 + 1"}))
    assert 0.2 <= time.perf_counter() - began < 0.38  # both at once, not one after the other (0.4 s)


def test_scoring_needs_the_gold_candidate_alone_or_the_gold_number(workloads):
    pick = workloads["8-way"].questions[0]
    other = next(c for c in pick.candidates if c != pick.gold)
    assert is_correct(pick, f"It is {pick.gold}.")
    assert not is_correct(pick, f"{pick.gold} or {other}") and not is_correct(pick, None)
    number = generate("parallelqa", 1).questions[0]
    assert is_correct(number, f"about {float(number.gold):,.2f} people")
    assert not is_correct(number, str(float(number.gold) + 1))


def test_the_compiler_oracle_writes_plans_the_agent_accepts(workloads):
    for workload in workloads.values():
        checker = PlanChecker(workload.tools())
        for question in workload.questions:
            tasks = [checker.check(call) for call in parse_plan(plan_text(question)) if not call.is_join]
            assert [t.tool for t in tasks] == [s.tool for s in question.steps]
            assert [list(t.deps) for t in tasks] == [list(s.inputs) for s in question.steps]


def test_parallel_fc_turns_follow_the_dependencies():
    density = generate("parallelqa", 2).questions[1]
    assert levels(density) == [[1, 2, 3, 4], [5, 6], [7]]


@pytest.mark.parametrize("name", WORKLOADS)
async def test_every_agent_answers_every_question_right_with_its_oracle(workloads, name):
    workload = workloads[name]
    by_text = {q.text: q for q in workload.questions}
    for question in workload.questions:
        for contender in CONTENDERS:
            llm = ScriptedLLM([SCRIPTS[contender.kind](by_text)] * 64)
            record = await run_one(contender, workload, question, 0.0, llm, False, 10)
            assert record.correct and record.error is None, (contender.name, question.id, record.trace.answer)
            assert len(record.trace.tasks) == len(question.steps)
            assert all(c.prompt_tokens > 0 and c.completion_tokens > 0 for c in record.trace.llm_calls)


def test_examples_show_each_format_on_the_same_question(workloads):
    example = workloads["parallelqa"].example
    texts = {style: example_for(style, example) for style in SCRIPTS}
    assert all(t.startswith(f"Question: {example.text}") for t in texts.values())
    assert "context=[$1, $2]" in texts["compiler"] and texts["compiler"].endswith("<END_OF_PLAN>")
    assert f"Observation: {example.expected[0]}" in texts["react"] and "Action: Finish[" in texts["react"]
    assert texts["parallel"].count("Reply: ") == len(levels(example)) + 1


async def test_paced_llm_sends_bpe_pieces_on_schedule():
    pieces = bpe_pieces()
    text = 'Thought: hi.\nAction: search(query="Velmora population")'
    llm = PacedLLM(ScriptedLLM([text]), pieces, ttft=0.1, tokens_per_second=100)
    began = time.perf_counter()
    result = await complete(llm, [Message("user", "q")])
    elapsed = time.perf_counter() - began
    assert result.text == text
    assert elapsed == pytest.approx(0.1 + (len(pieces(text)) - 1) / 100, abs=0.08)
    assert result.usage.completion_tokens > 0  # the inner backend's count is passed through
