"""OpenTelemetry spans of a run, for any OTel viewer (Jaeger, Tempo, Phoenix, Logfire...).

One span per run (`invoke_agent compiler`), one per LLM call (`chat
<model>`, with the GenAI semantic conventions' attributes: operation,
model, input and output tokens, finish reasons) and one per task
(`execute_tool <tool>`: tool, arguments size, status, retries, error). LLM
calls and tasks are all children of the run's span, so tasks that ran in
parallel show as overlapping bars under it; a task's span links to the
spans of the tasks it depends on, so the plan's DAG is in the trace too.
A tool that makes spans of its own (an instrumented HTTP client) makes them
under its task's span when it is an async tool. Prompts and answers are
not recorded: spans carry sizes, counts and timing, not content.

Tracing is off unless asked for: a `tracer_provider` given to the agent, a
global one the application set (`opentelemetry.trace.set_tracer_provider`),
or `OTEL_EXPORTER_OTLP_ENDPOINT` in the environment (the agent then sends
spans there over OTLP/HTTP). Without any of these, opentelemetry is not
imported at all, and it need not be installed (`pip install 'agentc[otel]'`).

The JSON `Trace` a run returns is kept as before; spans are a second view.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
import warnings
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from agentc.errors import describe

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Span, Tracer

    from agentc.trace import LLMCall, TaskRecord, Trace

_INSTALL = "pip install 'agentc[otel]'"
_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


def otlp_tracer_provider(endpoint: str | None = None) -> "TracerProvider":
    """A tracer provider that sends spans to an OTLP/HTTP collector.

    `endpoint` is the collector's address (`http://localhost:4318`); None
    takes `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`
    from the environment, else the OTLP default `http://localhost:4318`.
    Spans are sent in batches; `shutdown()` sends what is left (it also
    happens when the process exits).
    """
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise ImportError(f"sending spans over OTLP needs the otel extra ({exc}); install it with: {_INSTALL}") from exc
    if endpoint is not None and not endpoint.rstrip("/").endswith("/v1/traces"):
        endpoint = endpoint.rstrip("/") + "/v1/traces"
    named = {} if "OTEL_SERVICE_NAME" in os.environ else {"service.name": "agentc"}
    provider = TracerProvider(resource=Resource.create(named))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider


def chosen_tracer_provider(given: Any = None) -> Any:
    """The provider an agent keeps at construction: `given`; else None when
    the application set a global provider (each run then looks it up); else
    one that sends to the OTLP endpoint in the environment, if one is set;
    else None (no tracing)."""
    if given is not None:
        return given
    if _application_provider() is not None or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return None
    settings = tuple(os.environ.get(name, "") for name in (*_ENDPOINT_VARIABLES, "OTEL_SERVICE_NAME"))
    if not any(settings[: len(_ENDPOINT_VARIABLES)]):
        return None
    try:
        return _environment_provider(settings)
    except ImportError as exc:
        warnings.warn(f"OTEL_EXPORTER_OTLP_ENDPOINT is set but agentc cannot send spans: {exc}", stacklevel=3)
        return None


@functools.cache
def _environment_provider(settings: tuple[str, ...]) -> "TracerProvider":
    """The one provider (and export thread) of the environment's collector
    for this process: agents made per question (the assistant) or per item
    (evaluations) share it instead of each starting its own. `settings`
    are the environment variables it was built from."""
    return otlp_tracer_provider()


def _application_provider() -> Any:
    """The global tracer provider, when the application set one. Looked up
    only when opentelemetry is already imported: if nothing imported it,
    nothing set it."""
    if "opentelemetry.trace" not in sys.modules:
        return None
    from opentelemetry import trace

    provider = trace.get_tracer_provider()
    if isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
        return None
    return provider


def _model_name(llm: Any) -> str:
    """What the backend calls its model (the `LLM` protocol does not say)."""
    model = getattr(llm, "model", None)
    if isinstance(model, str) and model:
        return model
    path = getattr(llm, "model_path", None)
    return getattr(path, "name", None) or type(llm).__name__


def _finish_reason(record: "LLMCall", max_tokens: Any) -> str:
    if record.error is not None:
        return "error"
    if isinstance(max_tokens, int) and record.completion_tokens >= max_tokens:
        return "length"
    return "stop"


class RunSpans:
    """The spans of one run. Build one with `RunSpans.start`, which returns
    None when tracing is off, so callers skip every call on it."""

    def __init__(self, tracer: "Tracer", agent: str) -> None:
        from opentelemetry import trace

        self._trace_api = trace
        self._tracer = tracer
        self._run = tracer.start_span(
            f"invoke_agent {agent}",
            attributes={"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": agent},
        )
        self._under_run = trace.set_span_in_context(self._run)
        self._tasks: dict[int, "Span"] = {}

    @classmethod
    def start(cls, provider: Any, agent: str) -> "RunSpans | None":
        """Open the run's span on `provider` (from `chosen_tracer_provider`),
        or on the application's global provider when it is None; None when
        there is neither."""
        if provider is None:
            provider = _application_provider()
            if provider is None:
                return None
        return cls(provider.get_tracer("agentc"), agent)

    @contextmanager
    def llm_call(self, record: "LLMCall", llm: Any, options: dict[str, Any]) -> Iterator[None]:
        """The span of one LLM call, current while it streams (so a
        backend's own instrumentation nests under it); filled from `record`
        when the call ends."""
        from opentelemetry import context

        model = _model_name(llm)
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": model,
            "agentc.llm.role": record.role,
        }
        if options.get("max_tokens") is not None:
            attributes["gen_ai.request.max_tokens"] = options["max_tokens"]
        if options.get("stop"):
            attributes["gen_ai.request.stop_sequences"] = list(options["stop"])
        span = self._tracer.start_span(
            f"chat {model}", context=self._under_run, kind=self._trace_api.SpanKind.CLIENT, attributes=attributes
        )
        token = context.attach(self._trace_api.set_span_in_context(span))
        try:
            yield
        except BaseException as exc:
            self._failed(span, exc)
            raise
        finally:
            context.detach(token)
            span.set_attribute("gen_ai.usage.input_tokens", record.prompt_tokens)
            span.set_attribute("gen_ai.usage.output_tokens", record.completion_tokens)
            span.set_attribute("gen_ai.response.finish_reasons", [_finish_reason(record, options.get("max_tokens"))])
            if record.first_token_at is not None:
                span.set_attribute("agentc.llm.time_to_first_token_s", record.first_token_at - record.started_at)
            span.end()

    def task_started(self, record: "TaskRecord", at: int | None = None) -> None:
        """Open the span of a task whose tool call starts now (or `at`, in
        nanoseconds since the epoch)."""
        links = [self._trace_api.Link(self._tasks[d].get_span_context()) for d in record.deps if d in self._tasks]
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": record.tool,
            "gen_ai.tool.call.id": str(record.idx),
            "agentc.task.id": record.idx,
            "agentc.task.deps": list(record.deps),
        }
        for name, value in (("agentc.task.plan", record.plan), ("agentc.task.step", record.step)):
            if value is not None:
                attributes[name] = value
        self._tasks[record.idx] = self._tracer.start_span(
            f"execute_tool {record.tool}", context=self._under_run, attributes=attributes, links=links, start_time=at
        )

    @contextmanager
    def in_task(self, idx: int) -> Iterator[None]:
        """Make task `idx`'s span the current one while its tool runs."""
        from opentelemetry import context

        token = context.attach(self._trace_api.set_span_in_context(self._tasks[idx]))
        try:
            yield
        finally:
            context.detach(token)

    def task_finished(self, record: "TaskRecord") -> None:
        """Close a task's span with its outcome. A task that never called
        its tool (skipped, merged with an identical call, cancelled before
        it started) gets a span of no length, so every task shows."""
        ended_at = None
        if record.idx not in self._tasks:
            ended_at = time.time_ns()
            self.task_started(record, at=ended_at)
        span = self._tasks[record.idx]
        span.set_attribute("agentc.task.status", record.status)
        span.set_attribute("agentc.task.arguments_size", len(json.dumps(record.args, default=repr).encode()))
        span.set_attribute("agentc.task.attempts", record.attempts)
        span.set_attribute("agentc.task.retries", max(record.attempts - 1, 0))
        if record.same_as is not None:
            span.set_attribute("agentc.task.same_as", record.same_as)
        if record.status in ("error", "cancelled"):
            span.set_attribute("error.type", f"task_{record.status}")
            span.set_status(self._trace_api.Status(self._trace_api.StatusCode.ERROR, record.error))
        elif record.error is not None:
            span.set_attribute("agentc.task.error", record.error)
        span.end(end_time=ended_at)

    def finish(self, trace: "Trace", error: BaseException | None) -> None:
        """Close the run's span with the run's totals and, if it failed, the error."""
        self._run.set_attribute("gen_ai.usage.input_tokens", trace.prompt_tokens)
        self._run.set_attribute("gen_ai.usage.output_tokens", trace.completion_tokens)
        self._run.set_attribute("agentc.llm_calls", len(trace.llm_calls))
        self._run.set_attribute("agentc.tasks", len(trace.tasks))
        self._run.set_attribute("agentc.replans", len(trace.replan_reasons))
        if error is not None:
            self._failed(self._run, error)
        self._run.end()

    def _failed(self, span: "Span", error: BaseException) -> None:
        span.record_exception(error)
        span.set_attribute("error.type", type(error).__qualname__)
        span.set_status(self._trace_api.Status(self._trace_api.StatusCode.ERROR, describe(error)))
