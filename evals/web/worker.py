"""`WebWorker`: one worker's sites, browser and LLM, playing web episodes one after another.

    outcomes = await run_local(items, WebEvalOptions(agent="oracle"), workers=2)
    outcomes = run_ray(items, options, workers=4, address="ray://head:10001")

Nothing is shared between workers, so results do not depend on how tasks
are spread over them (`agentc.evals.workers` schedules them). Before every
task the worker resets its own seeded sites, resolves the task's site
placeholders to its own ports and opens a fresh page; the agent plays
through the `BrowserEnv` Protocol and the task's evaluators score the page.
A task whose run raises is recorded with its error (and tried again by a
resumed run), not dropped.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from agentc.backends import SCRIPTED
from agentc.errors import describe
from agentc.evals import workers as _workers
from agentc.evals.errors import EvalDataError
from agentc.evals.web.options import WebEvalOptions
from agentc.evals.web.outcome import TaskOutcome, TaskResult, WorkItem, file_name
from agentc.llm import LLM
from agentc.planners.web_run import WebRun

OnOutcome = Callable[[TaskOutcome], None]


class WebWorker:
    """One worker's sites, browser and LLM; plays episodes one after another.

    Use as `async with WebWorker(options) as worker:`.
    """

    def __init__(self, options: WebEvalOptions) -> None:
        self.options = options
        self.sites: Any = None
        self.env: Any = None
        self.llm: LLM | None = None

    async def __aenter__(self) -> "WebWorker":
        from agentc.envs.sites import start_sites
        from agentc.envs.web.browser import PlaywrightEnv

        try:
            if not self.options.url_map:
                self.sites = await asyncio.to_thread(start_sites, self.options.seed)
            self.env = await PlaywrightEnv.launch(token_budget=self.options.token_budget)
            self.env.step_timeout = self.options.step_timeout
            if not self.options.scripted:
                self.llm = await asyncio.to_thread(self.options.make_llm)
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.env is not None:
            await self.env.close()
            self.env = None
        if self.sites is not None:
            self.sites.close()
            self.sites = None

    @property
    def url_map(self) -> dict[str, str]:
        """Where this worker's tasks point: the given deployment, else its own sites."""
        if self.options.url_map:
            return dict(self.options.url_map)
        from agentc.envs.web.tasks import sites_url_map

        return sites_url_map(self.sites.urls)

    async def play(self, item: WorkItem) -> TaskOutcome:
        """Play and score one episode; an exception becomes the result's `error`.

        A task that runs past `task_timeout`, or whose page gets stuck, is a
        failed result with stop reason "timeout" (not retried on resume); the
        stuck page is closed and the worker goes on with the next task.
        Cancellation (Ctrl-C) is not caught: a task cut short records nothing.
        """
        from agentc.envs.web.errors import PageStuckError

        began = time.perf_counter()
        if self.options.screenshots_dir:
            self.env.screenshots_dir = Path(self.options.screenshots_dir) / file_name(item.key)
        try:
            episode = self._play_miniwob(item) if item.miniwob is not None else self._play_task(item)
            outcome = await asyncio.wait_for(episode, self.options.task_timeout)
        except TimeoutError as exc:
            if not isinstance(exc, PageStuckError):  # the task deadline: the page may still be busy
                await self.env.abandon()
            why = str(exc) or f"the task did not finish within {self.options.task_timeout:g} s"
            outcome = TaskOutcome(TaskResult(key=item.key, site=item.site, stop_reason="timeout", details=[why]))
        except Exception as exc:  # recorded in the result, shown in the report, retried on resume
            outcome = TaskOutcome(TaskResult(key=item.key, site=item.site, error=describe(exc)))
        outcome.result.seconds = time.perf_counter() - began
        outcome.result.setup = self.options.setup()
        return outcome

    async def _play_task(self, item: WorkItem) -> TaskOutcome:
        from agentc.envs.web.evaluators import evaluate
        from agentc.envs.web.tasks import WebTask

        assert item.task is not None
        if self.sites is not None:
            await asyncio.to_thread(self.sites.reset)
        url_map = self.url_map
        task = WebTask.model_validate(item.task).resolved(url_map)
        start = await self.env.reset(task.start_url, sites=list(url_map.values()))
        run = await self._agent(task.oracle, item.key).arun(task.intent, self.env, start)
        if self.env.timed_out:
            return _timed_out(item, run, self.env.timed_out)
        verdict = await evaluate(task, self.env, run.answer, self.sites)
        return TaskOutcome(_result(item, run, verdict.score, verdict.passed, list(verdict.details)), run)

    async def _play_miniwob(self, item: WorkItem) -> TaskOutcome:
        from agentc.envs.web.miniwob import MiniWoBEnv, miniwob_instruction, miniwob_oracle, miniwob_reward, open_miniwob

        assert item.miniwob is not None
        start = await open_miniwob(self.env, item.miniwob, item.seed)
        intent = await miniwob_instruction(self.env)
        script = await miniwob_oracle(self.env, item.miniwob) if self.options.scripted else None
        run = await self._agent(script, item.key).arun(intent, MiniWoBEnv(self.env), start)
        if self.env.timed_out:
            return _timed_out(item, run, self.env.timed_out)
        reward = await miniwob_reward(self.env)
        return TaskOutcome(_result(item, run, reward, reward > 0, [f"MiniWoB++ reward {reward:.3f}"]), run)

    def _agent(self, script: Sequence[str] | None, key: str) -> Any:
        """The agent the options name: the oracle replayer, or Plan-and-Act or the
        executor baseline on this worker's LLM (or on the scripted oracle LLM)."""
        from agentc.planners.web_oracle import ScriptAgent, oracle_completions

        options = self.options
        if options.scripted and script is None:
            raise EvalDataError(f"task {key} has no oracle trajectory; --agent oracle and --model {SCRIPTED} need one")
        if options.agent == "oracle":
            return ScriptAgent(script or ())
        llm = self.llm
        if options.backend.scripted:
            from agentc.llm.scripted import ScriptedLLM

            completions = oracle_completions(
                script or (), plan_and_act=options.agent == "plan-and-act", replan_every_step=options.replan_every_step
            )
            llm = ScriptedLLM(completions)
        assert llm is not None
        if options.agent == "plan-and-act":
            from agentc.planners.plan_and_act import PlanAndActAgent

            return PlanAndActAgent(
                llm,
                max_steps=options.max_steps,
                replan_every_step=options.replan_every_step,
                grammar=options.backend.grammar,
                plan_tokens=options.plan_tokens,
            )
        from agentc.planners.web_executor import WebExecutorAgent

        return WebExecutorAgent(llm, max_steps=options.max_steps, grammar=options.backend.grammar)


def _timed_out(item: WorkItem, run: WebRun, why: str) -> TaskOutcome:
    """A failed outcome for an episode whose page got stuck (and was closed): nothing left to score."""
    run.stop_reason = "timeout"
    return TaskOutcome(_result(item, run, 0.0, False, [f"timed out: {why}"]), run)


def _result(item: WorkItem, run: WebRun, score: float, passed: bool, details: list[str]) -> TaskResult:
    return TaskResult(
        key=item.key,
        site=item.site,
        intent=run.intent,
        passed=passed,
        score=score,
        answer=run.answer,
        stop_reason=run.stop_reason,
        steps=run.steps,
        replans=run.replans,
        llm_calls=len(run.trace.llm_calls),
        env_seconds=sum(s.seconds for s in run.actions),
        details=details,
    )


async def run_local(
    items: Sequence[WorkItem], options: WebEvalOptions, *, workers: int = 1, on_outcome: OnOutcome | None = None
) -> list[TaskOutcome]:
    """Play `items` on `workers` local workers (asyncio tasks, each with its
    own sites and browser); outcomes come back in item order."""
    return await _workers.run_local(items, lambda: WebWorker(options), workers=workers, on_outcome=on_outcome)


def play_chunk(items: list[WorkItem], options: WebEvalOptions) -> list[dict[str, Any]]:
    """Play a chunk of items on a fresh worker, in a fresh event loop (the body of a Ray task)."""

    async def play() -> list[dict[str, Any]]:
        async with WebWorker(options) as worker:
            return [(await worker.play(item)).to_plain() for item in items]

    return asyncio.run(play())


def run_ray(
    items: Sequence[WorkItem],
    options: WebEvalOptions,
    *,
    workers: int = 1,
    address: str | None = None,
    chunk_size: int | None = None,
    on_outcome: OnOutcome | None = None,
) -> list[TaskOutcome]:
    """Play `items` as Ray tasks, at most `workers` at a time, each starting
    its own sites and browser (see `agentc.evals.workers.run_ray`)."""
    return _workers.run_ray(
        items,
        play_chunk,
        (options,),
        read=TaskOutcome.from_plain,
        workers=workers,
        address=address,
        chunk_size=chunk_size,
        on_outcome=on_outcome,
    )
