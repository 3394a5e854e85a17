"""OpenTelemetry spans of runs: their tree follows the plan's DAG, the GenAI
attributes are there, failures show as errors, and tracing is off (nothing
imported) unless asked for."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from agentc import Agent, BudgetExceeded, tool
from agentc.llm import ScriptedLLM
from agentc.planners.parallel_fc import ParallelFCAgent
from agentc.planners.react import ReActAgent

FINISH = "Thought: done.\nAction: Finish(Paris is warmer)"


@pytest.fixture
def otel() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def by_name(spans: tuple[ReadableSpan, ...], prefix: str) -> list[ReadableSpan]:
    return sorted((s for s in spans if s.name.startswith(prefix)), key=lambda s: s.start_time or 0)


def parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


async def test_spans_of_a_run_follow_the_plan(weather_tools, weather_plan, otel):
    provider, exporter = otel
    result = await Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, tracer_provider=provider).arun("Warmer?")
    spans = exporter.get_finished_spans()
    [run] = by_name(spans, "invoke_agent")
    assert run.name == "invoke_agent compiler" and run.parent is None
    assert run.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert run.attributes["gen_ai.usage.input_tokens"] == result.trace.prompt_tokens > 0
    assert run.status.status_code is not StatusCode.ERROR
    assert {s.context.trace_id for s in spans} == {run.context.trace_id}

    calls = by_name(spans, "chat ")
    assert [c.attributes["agentc.llm.role"] for c in calls] == ["planner", "joiner"]
    for span, record in zip(calls, result.trace.llm_calls):
        assert span.name == "chat ScriptedLLM" and parent_of(span) == run.context.span_id
        assert span.attributes["gen_ai.operation.name"] == "chat"
        assert span.attributes["gen_ai.request.model"] == "ScriptedLLM"
        assert span.attributes["gen_ai.usage.input_tokens"] == record.prompt_tokens > 0
        assert span.attributes["gen_ai.usage.output_tokens"] == record.completion_tokens > 0
        assert span.attributes["gen_ai.response.finish_reasons"] == ("stop",)

    paris, tokyo, compare = by_name(spans, "execute_tool")
    assert [s.name for s in (paris, tokyo, compare)] == [
        "execute_tool get_weather",
        "execute_tool get_weather",
        "execute_tool compare",
    ]
    assert {parent_of(s) for s in (paris, tokyo, compare)} == {run.context.span_id}
    assert paris.start_time < tokyo.end_time and tokyo.start_time < paris.end_time  # ran in parallel
    assert compare.start_time >= max(paris.end_time, tokyo.end_time)  # waited for both
    assert {link.context.span_id for link in compare.links} == {paris.context.span_id, tokyo.context.span_id}
    assert compare.attributes["gen_ai.tool.name"] == "compare"
    assert compare.attributes["gen_ai.tool.call.id"] == "3"
    assert compare.attributes["agentc.task.deps"] == (1, 2)
    assert compare.attributes["agentc.task.status"] == "done"
    assert compare.attributes["agentc.task.retries"] == 0
    assert compare.attributes["agentc.task.arguments_size"] > len('{"a": {}, "b": {}}')
    # the planner streams while the first tasks run, and the run holds everything
    planner = calls[0]
    assert paris.start_time < planner.end_time
    assert run.start_time <= min(s.start_time for s in spans) and run.end_time >= max(s.end_time for s in spans)


async def test_a_failed_task_span_has_error_status_and_its_dependent_shows_skipped(otel):
    provider, exporter = otel
    attempts: list[int] = []

    @tool(idempotent=True)
    def flaky(city: str) -> str:
        """Fails every time."""
        attempts.append(1)
        raise ConnectionError(f"no route to {city}")

    @tool
    def shout(text: str) -> str:
        """Upper-cases text."""
        return text.upper()

    plan = '1. flaky(city="Paris")\n2. shout(text=$1)\n3. join()\n<END_OF_PLAN>'
    agent = Agent(
        ScriptedLLM([plan, "Action: Finish(no weather)"]), [flaky, shout], tracer_provider=provider, tool_retries=1
    )
    result = await agent.arun("q")
    assert result.answer == "no weather"
    failed, skipped = by_name(exporter.get_finished_spans(), "execute_tool")
    assert failed.status.status_code is StatusCode.ERROR
    assert "no route to Paris" in failed.status.description
    assert failed.attributes["agentc.task.status"] == "error"
    assert failed.attributes["agentc.task.attempts"] == len(attempts) == 2
    assert failed.attributes["agentc.task.retries"] == 1
    assert skipped.name == "execute_tool shout"
    assert skipped.attributes["agentc.task.status"] == "skipped"
    assert "task 1 it depends on failed" in skipped.attributes["agentc.task.error"]
    assert skipped.start_time == skipped.end_time  # never ran


async def test_a_run_that_fails_ends_its_span_with_the_error(weather_tools, weather_plan, otel):
    provider, exporter = otel
    agent = Agent(ScriptedLLM([weather_plan, FINISH]), weather_tools, tracer_provider=provider, max_tool_calls=1)
    with pytest.raises(BudgetExceeded):
        await agent.arun("q")
    spans = exporter.get_finished_spans()
    [run] = by_name(spans, "invoke_agent")
    assert run.status.status_code is StatusCode.ERROR
    assert run.attributes["error.type"] == "BudgetExceeded"
    assert "max_tool_calls=1" in run.status.description
    assert [e.name for e in run.events] == ["exception"]
    tasks = by_name(spans, "execute_tool")
    assert [t.attributes["agentc.task.status"] for t in tasks] == ["cancelled", "cancelled"]
    assert all(t.status.status_code is StatusCode.ERROR for t in tasks)


async def test_step_wise_agents_make_the_same_spans(weather_tools, otel):
    provider, exporter = otel
    react = ReActAgent(
        ScriptedLLM(['Thought: Paris.\nAction: get_weather(city="Paris")', "Thought: ok.\nAction: Finish[15 C]"]),
        weather_tools,
        tracer_provider=provider,
    )
    await react.arun("Weather in Paris?")
    spans = exporter.get_finished_spans()
    [run] = by_name(spans, "invoke_agent")
    assert run.name == "invoke_agent react"
    [task] = by_name(spans, "execute_tool")
    assert parent_of(task) == run.context.span_id and task.attributes["agentc.task.step"] == 0
    assert [parent_of(c) for c in by_name(spans, "chat ")] == [run.context.span_id] * 2

    exporter.clear()
    both = json.dumps([{"name": "get_weather", "arguments": {"city": city}} for city in ("Paris", "Tokyo")])
    parallel = ParallelFCAgent(ScriptedLLM([both, '{"answer": "done"}']), weather_tools, tracer_provider=provider)
    await parallel.arun("Weather?")
    spans = exporter.get_finished_spans()
    assert [s.name for s in by_name(spans, "invoke_agent")] == ["invoke_agent parallel"]
    paris, tokyo = by_name(spans, "execute_tool")
    assert paris.start_time < tokyo.end_time and tokyo.start_time < paris.end_time


async def test_a_tools_own_spans_nest_under_its_task(otel):
    provider, exporter = otel
    tracer = provider.get_tracer("the tool")

    @tool
    async def fetch(url: str) -> str:
        """Fetches a page (and traces it, as an instrumented HTTP client would)."""
        with tracer.start_as_current_span("GET"):
            return "<html>"

    plan = '1. fetch(url="http://x")\n2. join($1)\n<END_OF_PLAN>'
    await Agent(ScriptedLLM([plan]), [fetch], tracer_provider=provider).arun("q")
    spans = exporter.get_finished_spans()
    [task] = by_name(spans, "execute_tool")
    [get] = by_name(spans, "GET")
    assert parent_of(get) == task.context.span_id


def run_python(*parts: str, **env: str) -> str:
    """Run the program made of `parts` in a fresh interpreter (tracing
    set-up is process-wide); return what it printed."""
    import os

    done = subprocess.run(
        [sys.executable, "-c", "\n".join(textwrap.dedent(part) for part in parts)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


RUN_ONE = """
    from agentc import Agent, tool
    from agentc.llm import ScriptedLLM

    @tool
    def double(x: int) -> int:
        "Doubles x."
        return 2 * x

    result = Agent(ScriptedLLM(["1. double(x=2)\\n2. join($1)\\n<END_OF_PLAN>"]), [double]).run("q")
    assert result.answer == "4"
"""


def test_without_a_provider_opentelemetry_is_not_even_imported():
    out = run_python(
        RUN_ONE,
        "import sys\nprint(sorted(m for m in sys.modules if m.startswith('opentelemetry')))",
        OTEL_EXPORTER_OTLP_ENDPOINT="",
    )
    assert out.strip() == "[]"


def test_a_global_provider_the_application_set_gets_the_spans():
    setup = """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
    """
    out = run_python(setup, RUN_ONE, "print(sorted(s.name for s in exporter.get_finished_spans()))")
    assert out.strip() == "['chat ScriptedLLM', 'execute_tool double', 'invoke_agent compiler']"


def test_the_otlp_endpoint_in_the_environment_receives_the_spans(serve_http, monkeypatch):
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    base = serve_http(Collector).removesuffix("/v1")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", base)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)

    @tool
    def double(x: int) -> int:
        """Doubles x."""
        return 2 * x

    agent = Agent(ScriptedLLM(["1. double(x=2)\n2. join($1)\n<END_OF_PLAN>"]), [double])
    assert Agent(ScriptedLLM([]), [double]).planner.tracer_provider is agent.planner.tracer_provider  # one exporter
    assert agent.run("q").answer == "4"
    agent.planner.tracer_provider.shutdown()  # sends what is batched
    assert received and {path for path, _ in received} == {"/v1/traces"}
    names = set()
    for _, body in received:
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
            assert service == "agentc"
            names |= {span.name for scope in resource_spans.scope_spans for span in scope.spans}
    assert names == {"invoke_agent compiler", "chat ScriptedLLM", "execute_tool double"}
