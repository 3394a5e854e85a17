"""Run web tasks in parallel browsers, locally or as Ray tasks, and record them.

    options = WebEvalOptions(agent="oracle")
    items = task_items(load_tasks(default_tasks_path(), {}))
    outcomes = await run_local(items, options, workers=2)
    outcomes = run_ray(items, options, workers=4, address="ray://head:10001")

A worker (`WebWorker`) owns its own seeded sites (`start_sites`), its own
browser and its own LLM: nothing is shared between workers, so results do
not depend on how tasks are spread over them. Before every task the worker
resets its sites to the seed, resolves the task's site placeholders to its
own ports and opens a fresh page. Local workers are asyncio tasks in this
process; on Ray, each Ray task starts a worker, plays a chunk of tasks and
returns plain data. A task whose run raises is recorded with its error (and
tried again by a resumed run), not dropped.

`results_file` makes runs resumable: each finished task is one JSONL line,
and a re-run skips the task keys the file already holds for the same setup.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, Sequence

from pydantic import BaseModel, Field

from agentc.errors import describe
from agentc.planners.web_run import WebRun

if TYPE_CHECKING:
    from agentc.envs.web.tasks import WebTask
    from agentc.evals.results import ResultsFile
    from agentc.llm import LLM

AgentKind = Literal["plan-and-act", "executor", "oracle"]
AGENTS: tuple[str, ...] = ("plan-and-act", "executor", "oracle")
SCRIPTED_ORACLE = "scripted-oracle"
"""The `model` that drives an LLM agent with the task's oracle trajectory
(`web_oracle.oracle_completions`): the orchestration with perfect outputs."""


@dataclass(frozen=True)
class WebEvalOptions:
    """How every task is played; plain data, so it travels to Ray workers.

    `model` is a bundled model name or a GGUF path (or the model name on
    `base_url`, an OpenAI-compatible server), or `SCRIPTED_ORACLE`.
    `screenshots_dir` gets one folder of step screenshots per task.
    `url_map` maps site names to URLs when tasks run against an existing
    deployment (a user's WebArena) instead of our own sites. The deadlines
    are not part of `setup()`: a task that times out is a failed result,
    and changing a deadline does not make earlier results incomparable.
    """

    agent: AgentKind = "oracle"
    model: str | None = None
    base_url: str | None = None
    max_steps: int = 30
    seed: int = 0
    token_budget: int = 2000
    screenshots_dir: str | None = None
    grammar: bool = True
    replan_every_step: bool = True
    plan_tokens: int = 320
    url_map: dict[str, str] = field(default_factory=dict)
    step_timeout: float = 30.0
    """Seconds one browser action may take; a page stuck longer is closed and its task times out."""
    task_timeout: float = 1800.0
    """Seconds one task may take in all (agent, browser and scoring); then it is recorded as timed out."""

    def setup(self) -> dict[str, Any]:
        """What makes two runs comparable: stored with every result."""
        llm = None if self.agent == "oracle" else (self.model or "default")
        return {
            "agent": self.agent,
            "llm": llm,
            "max_steps": self.max_steps,
            "seed": self.seed,
            "grammar": self.grammar,
            "replan_every_step": self.replan_every_step,
            "plan_tokens": self.plan_tokens,
        }

    def make_llm(self) -> "LLM":
        """The LLM `model` names (loaded once per worker)."""
        from agentc.cli import build_llm

        if self.base_url:
            return build_llm(model=None, base_url=self.base_url, api_key=None, model_name=self.model)[0]
        return build_llm(model=self.model, base_url=None, api_key=None, model_name=None)[0]


@dataclass(frozen=True)
class WorkItem:
    """One episode to play: a web task (as plain data) or a MiniWoB++ task and seed."""

    key: str
    site: str
    task: dict[str, Any] | None = None
    miniwob: str | None = None
    seed: int = 0


class TaskResult(BaseModel):
    """What one episode scored, as one JSONL line (the trajectory is in the trace file)."""

    key: str
    site: str
    intent: str = ""
    passed: bool = False
    score: float = 0.0
    answer: str | None = None
    stop_reason: str | None = None
    steps: int = 0
    replans: int = 0
    llm_calls: int = 0
    seconds: float = 0.0
    env_seconds: float = 0.0
    """Time spent in browser actions (`WebStep.seconds` summed)."""
    details: list[str] = Field(default_factory=list)
    error: str | None = None
    """Set when the episode raised instead of finishing; a resumed run retries it."""
    setup: dict[str, Any] = Field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.error is None

    def to_json(self) -> str:
        """One results-file line."""
        return self.model_dump_json()


@dataclass
class TaskOutcome:
    """A result and the run behind it (None when the episode never started)."""

    result: TaskResult
    run: WebRun | None = None

    def to_plain(self) -> dict[str, Any]:
        return {"result": self.result.model_dump(), "run": None if self.run is None else self.run.model_dump(mode="json")}

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> "TaskOutcome":
        run = None if data["run"] is None else WebRun.model_validate(data["run"])
        return cls(TaskResult.model_validate(data["result"]), run)


OUR_SITES = ("shop", "forum", "admin", "shopping", "reddit", "shopping_admin")
"""Our site names and the WebArena names our sites answer to."""


def deferred_url_map() -> dict[str, str]:
    """A url_map that turns every placeholder of our sites into its `__SITE__`
    form: tasks load and validate before any site runs, and each worker fills
    in its own ports later (`WebTask.resolved`)."""
    return {name: f"__{name.upper()}__" for name in OUR_SITES}


def task_items(tasks: Sequence["WebTask"]) -> list[WorkItem]:
    """One work item per task, keyed by task_id (which must be unique)."""
    items, seen = [], set()
    for task in tasks:
        key = str(task.task_id)
        if key in seen:
            raise ValueError(f"two tasks share task_id {key!r}; task ids must be unique within a run")
        seen.add(key)
        site = "+".join(task.sites) or "unknown"
        items.append(WorkItem(key=key, site=site, task=task.model_dump(mode="json")))
    return items


def miniwob_items(names: Sequence[str], seeds: Sequence[int] = (0,)) -> list[WorkItem]:
    """One work item per MiniWoB++ task and seed, keyed `miniwob.<name>.<seed>`."""
    return [WorkItem(key=f"miniwob.{n}.{s}", site="miniwob", miniwob=n, seed=s) for n in names for s in seeds]


class WebWorker:
    """One worker's sites, browser and LLM; plays episodes one after another.

    Use as `async with WebWorker(options) as worker:`.
    """

    def __init__(self, options: WebEvalOptions) -> None:
        self.options = options
        self.sites: Any = None
        self.env: Any = None
        self.llm: "LLM | None" = None

    async def __aenter__(self) -> "WebWorker":
        from agentc.envs.sites import start_sites
        from agentc.envs.web.browser import BrowserEnv

        try:
            if not self.options.url_map:
                self.sites = await asyncio.to_thread(start_sites, self.options.seed)
            self.env = await BrowserEnv.launch(token_budget=self.options.token_budget)
            self.env.step_timeout = self.options.step_timeout
            if self.options.agent != "oracle" and self.options.model != SCRIPTED_ORACLE:
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
        from agentc.envs.web.browser import PageStuckError

        began = time.perf_counter()
        if self.options.screenshots_dir:
            self.env.screenshots_dir = Path(self.options.screenshots_dir) / _file_name(item.key)
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
        from agentc.envs.web.miniwob import miniwob_instruction, miniwob_oracle, miniwob_reward, open_miniwob

        assert item.miniwob is not None
        start = await open_miniwob(self.env, item.miniwob, item.seed)
        intent = await miniwob_instruction(self.env)
        scripted = self.options.agent == "oracle" or self.options.model == SCRIPTED_ORACLE
        script = await miniwob_oracle(self.env, item.miniwob) if scripted else None
        run = await self._agent(script, item.key).arun(intent, MiniWoBEpisode(self.env), start)
        if self.env.timed_out:
            return _timed_out(item, run, self.env.timed_out)
        reward = await miniwob_reward(self.env)
        return TaskOutcome(_result(item, run, reward, reward > 0, [f"MiniWoB++ reward {reward:.3f}"]), run)

    def _agent(self, script: Sequence[str] | None, key: str) -> Any:
        from agentc.planners.web_oracle import ScriptAgent, oracle_completions

        options = self.options
        scripted = options.agent == "oracle" or options.model == SCRIPTED_ORACLE
        if scripted and script is None:
            raise ValueError(f"task {key} has no oracle trajectory; --agent oracle and --model {SCRIPTED_ORACLE} need one")
        if options.agent == "oracle":
            return ScriptAgent(script or ())
        llm = self.llm
        if options.model == SCRIPTED_ORACLE:
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
                grammar=options.grammar,
                plan_tokens=options.plan_tokens,
            )
        from agentc.planners.web_executor import WebExecutorAgent

        return WebExecutorAgent(llm, max_steps=options.max_steps, grammar=options.grammar)


class MiniWoBEpisode:
    """The browser as a MiniWoB++ agent sees it: when the task page ends its
    episode (solved or failed), the step's observation says `done`, so the
    agent stops there instead of playing on into the next episode."""

    def __init__(self, env: Any) -> None:
        self.env = env

    @property
    def page(self) -> Any:
        return self.env.page

    async def observe(self) -> Any:
        return await self.env.observe()

    async def step(self, action: Any) -> Any:
        from agentc.envs.web.miniwob import miniwob_done

        observation = await self.env.step(action)
        if not observation.done and await miniwob_done(self.env):
            return dataclasses.replace(observation, done=True, answer=observation.answer or "episode ended")
        return observation


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


OnOutcome = Callable[[TaskOutcome], None]


async def run_local(
    items: Sequence[WorkItem], options: WebEvalOptions, *, workers: int = 1, on_outcome: OnOutcome | None = None
) -> list[TaskOutcome]:
    """Play `items` on `workers` local workers (asyncio tasks, each with its
    own sites and browser); outcomes come back in item order."""
    if workers < 1:
        raise ValueError("workers must be 1 or more")
    queue: asyncio.Queue[tuple[int, WorkItem]] = asyncio.Queue()
    for pair in enumerate(items):
        queue.put_nowait(pair)
    found: dict[int, TaskOutcome] = {}

    async def work() -> None:
        async with WebWorker(options) as worker:
            while not queue.empty():
                index, item = queue.get_nowait()
                found[index] = await worker.play(item)
                if on_outcome is not None:
                    on_outcome(found[index])

    async with asyncio.TaskGroup() as group:
        for _ in range(min(workers, len(items))):
            group.create_task(work())
    return [found[i] for i in range(len(items))]


def run_chunk(items: list[WorkItem], options: WebEvalOptions) -> list[dict[str, Any]]:
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
    """Play `items` as Ray tasks, at most `workers` at a time; each Ray task
    starts its own sites and browser and plays a chunk of items.

    Connects with `ray.init(address=address)` unless Ray is already
    initialised ("local" starts a local cluster); a cluster this call
    started is shut down at the end. Outcomes come back in item order.
    """
    import ray

    if workers < 1:
        raise ValueError("workers must be 1 or more")
    started = not ray.is_initialized()
    if started:
        ray.init(address=None if address in (None, "local") else address, log_to_driver=False)
    try:
        size = chunk_size or max(1, math.ceil(len(items) / (workers * 4)))
        chunks = [list(enumerate(items))[i : i + size] for i in range(0, len(items), size)]
        remote = ray.remote(num_cpus=1, max_retries=0)(run_chunk)
        found: dict[int, TaskOutcome] = {}
        pending: dict[Any, list[int]] = {}
        waiting = list(chunks)
        while waiting or pending:
            while waiting and len(pending) < workers:
                chunk = waiting.pop(0)
                ref = remote.remote([item for _, item in chunk], options)
                pending[ref] = [index for index, _ in chunk]
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                indexes = pending.pop(ref)
                for index, plain in zip(indexes, ray.get(ref)):
                    found[index] = TaskOutcome.from_plain(plain)
                    if on_outcome is not None:
                        on_outcome(found[index])
        return [found[i] for i in range(len(items))]
    finally:
        if started:
            ray.shutdown()


def results_file(
    path: str | Path, setup: dict[str, Any], warn: Callable[[str], None] | None = None
) -> "ResultsFile[TaskResult]":
    """The resumable JSONL of a web run: one `TaskResult` a line, the same
    file type (and the same repair of a torn last line) as `agentc eval fc`."""
    from agentc.evals.results import ResultsFile

    return ResultsFile(path, setup, read=TaskResult.model_validate, option="--out", warn=warn)


def _file_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key)


def trace_path(out_dir: Path, key: str) -> Path:
    """Where the trace of task `key` is written under `out_dir`."""
    return out_dir / "traces" / f"{_file_name(key)}.json"


def save_outcome(out_dir: Path, results: "ResultsFile[TaskResult]", outcome: TaskOutcome) -> None:
    """Append the result and write the trace file: the result, the plans,
    the actions with their pages and screenshots, and every LLM call."""
    path = trace_path(out_dir, outcome.result.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(outcome.to_plain(), indent=2, ensure_ascii=False, default=repr), encoding="utf-8")
    results.append(outcome.result)


def load_outcome(out_dir: Path, result: TaskResult) -> TaskOutcome:
    """The outcome of `result` with its run read back from its trace file (None if missing)."""
    path = trace_path(out_dir, result.key)
    if not path.exists():
        return TaskOutcome(result)
    return TaskOutcome(result, TaskOutcome.from_plain(json.loads(path.read_text(encoding="utf-8"))).run)


def summary(results: Sequence[TaskResult]) -> dict[str, Any]:
    """`{"n", "success_rate", "by_site": {site: {"n", "success_rate"}}}`."""
    by_site: dict[str, list[TaskResult]] = {}
    for result in results:
        by_site.setdefault(result.site, []).append(result)

    def rate(group: Sequence[TaskResult]) -> float:
        return sum(r.passed for r in group) / len(group) if group else 0.0

    return {
        "n": len(results),
        "success_rate": rate(results),
        "by_site": {site: {"n": len(group), "success_rate": rate(group)} for site, group in sorted(by_site.items())},
    }

