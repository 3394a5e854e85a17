"""The streaming plan parser: text in, `ParsedCall`s out as each line completes.

The plan language (one item a line):

    Thought: free text, attached to the next task
    1. tool_name(arg, key=value, other=$1)
    2. join()
    <END_OF_PLAN>

`join($N)` instead of `join()` says the result of task N is the whole
answer, so the agent can answer without a joiner call.

The parser is total: whatever text arrives, in whatever chunks, it yields
calls or raises a `PlanError` naming the line, and its work is linear in the
text. Syntax is checked here; whether the tools and arguments exist is
`checks.PlanChecker`'s job.
"""

from __future__ import annotations

import re
from typing import Collection

from agentc.call_syntax import CallReader
from agentc.errors import PlanError
from agentc.plan import ParsedCall, references

END_OF_PLAN = "<END_OF_PLAN>"
_TASK_ID = re.compile(r"\s*(\d+)\s*[.):]?\s*")
_THOUGHT = re.compile(r"\s*Thought\s*:\s*(.*)", re.DOTALL)
_JOIN = re.compile(r"\s*(?:(\d+)\s*[.):]?\s*)?join\s*\(\s*(?:\$\{?(\d+)\}?)?\s*\)\s*;?\s*")
_MAX_ID = 10**6


class PlanParser:
    """Feed it text with `feed`; it returns the calls whose lines completed.

    `known_ids` are task ids defined by earlier plans of the same run (a
    replan continues their numbering and may refer to them); `max_tasks`
    bounds the plan so a looping model cannot run on.
    """

    def __init__(self, *, known_ids: Collection[int] = (), max_tasks: int = 64) -> None:
        self._buffer = ""
        self._line = 0
        self._thought: str | None = None
        self._known = set(known_ids)
        self._defined: set[int] = set()
        self._count = 0
        self._max_tasks = max_tasks
        self.join_line: int | None = None
        self.answer_task: int | None = None
        """N of a closing `join($N)`: task N's result is the answer."""
        self.ended = False
        self.text = ""

    @property
    def defined(self) -> set[int]:
        """Ids of the tasks this plan has defined so far."""
        return set(self._defined)

    def feed(self, chunk: str) -> list[ParsedCall]:
        """Take the next piece of text; return the calls of lines it completed."""
        if self.ended or not chunk:
            return []
        self._buffer += chunk
        calls: list[ParsedCall] = []
        marker = self._buffer.find(END_OF_PLAN)
        if marker != -1:
            self.text += self._buffer[: marker + len(END_OF_PLAN)]
            lines = self._buffer[:marker].split("\n")
            self._buffer = ""
            self.ended = True
            for line in lines:
                calls.extend(self._line_done(line))
            return calls
        *complete, self._buffer = self._buffer.split("\n")
        for line in complete:
            self.text += line + "\n"
            calls.extend(self._line_done(line))
        return calls

    def close(self) -> list[ParsedCall]:
        """The text has ended: parse the last line and check the plan has its `join()`."""
        calls: list[ParsedCall] = []
        if not self.ended:
            self.text += self._buffer
            calls = self._line_done(self._buffer)
            self._buffer = ""
            self.ended = True
        if self.join_line is None:
            raise PlanError(
                "the plan has no join(); end every plan with a numbered `join()` line"
                + (" (the plan is empty)" if self._count == 0 else ""),
                line=self._line or None,
            )
        return calls

    def _line_done(self, raw: str) -> list[ParsedCall]:
        self._line += 1
        text = raw.rstrip("\r")
        if not text.strip():
            return []
        thought = _THOUGHT.fullmatch(text)
        if thought:
            self._thought = thought.group(1).strip()
            return []
        join = _JOIN.fullmatch(text)
        if join:
            if self.join_line is not None:
                raise PlanError(f"a second join(); the plan already joined on line {self.join_line}", line=self._line, text=text)
            self.join_line = self._line
            self._thought = None
            if join.group(2) is not None:
                self.answer_task = self._answer_task(join.group(2), text)
            return []
        if self.join_line is not None:
            raise PlanError(
                f"text after join() (line {self.join_line}); join() must be the last task", line=self._line, text=text
            )
        return [self._call(text)]

    def _answer_task(self, digits: str, text: str) -> int:
        idx = int(digits[:7])
        if idx not in self._defined and idx not in self._known:
            raise PlanError(
                f"join(${digits}) names no task of the plan; write join() or join($N) with an earlier task's id",
                line=self._line,
                text=text,
            )
        return idx

    def _call(self, text: str) -> ParsedCall:
        head = _TASK_ID.match(text)
        if not head:
            raise PlanError(
                "expected a numbered task such as `1. tool(arg=value)`, a `Thought:` line, "
                "`join()` or <END_OF_PLAN>",
                line=self._line,
                column=1,
                text=text,
            )
        idx = int(head.group(1)[:7])
        if idx > _MAX_ID or idx < 1:
            raise PlanError(f"task id {head.group(1)} is out of range 1..{_MAX_ID}", line=self._line, column=1, text=text)
        if idx in self._defined or idx in self._known:
            where = "an earlier plan of this run" if idx in self._known else "an earlier line"
            raise PlanError(f"task id {idx} is used twice (also in {where})", line=self._line, column=1, text=text)
        self._count += 1
        if self._count > self._max_tasks:
            raise PlanError(f"the plan has more than {self._max_tasks} tasks", line=self._line, text=text)
        reader = CallReader(text, line=self._line, offset=head.end(), defined=self._defined | self._known)
        tool, positional, keywords = reader.read_call()
        call = ParsedCall(
            idx=idx,
            tool=tool,
            positional=positional,
            keywords=keywords,
            thought=self._thought,
            line=self._line,
            text=text,
        )
        self._thought = None
        self._check_references(call)
        self._defined.add(idx)
        return call

    def _check_references(self, call: ParsedCall) -> None:
        values = list(call.positional) + [v for _, v in call.keywords]
        for ref in (r for v in values for r in references(v)):
            if ref == call.idx:
                raise PlanError(f"task {call.idx} refers to its own result ${ref}", line=call.line, text=call.text)
            if ref not in self._defined and ref not in self._known:
                later = ref > call.idx
                raise PlanError(
                    f"task {call.idx} refers to ${ref}, "
                    + ("a later task; a task may only use results of tasks before it" if later else "which no earlier task defines"),
                    line=call.line,
                    text=call.text,
                )


def parse_plan(text: str, *, known_ids: Collection[int] = (), max_tasks: int = 64) -> list[ParsedCall]:
    """Parse a whole plan at once (same rules as streaming)."""
    parser = PlanParser(known_ids=known_ids, max_tasks=max_tasks)
    calls = parser.feed(text)
    return calls + parser.close()
