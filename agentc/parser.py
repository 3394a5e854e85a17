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
from typing import Collection, Sequence

from agentc.call_syntax import CallReader
from agentc.errors import PlanError
from agentc.plan import MAX_TASK_ID, ParsedCall, references, shown_digits, task_number

END_OF_PLAN = "<END_OF_PLAN>"
_TASK_ID = re.compile(r"\s*(\d+)\s*[.):]?\s*")
_THOUGHT = re.compile(r"\s*Thought\s*:\s*(.*)", re.DOTALL)
_JOIN = re.compile(r"\s*(?:(\d+)\s*[.):]?\s*)?join\s*\(\s*(?:\$\{?(\d+)\}?)?\s*\)\s*;?\s*")


def numbered_plan(calls: Sequence[str], answer: int | None = None) -> str:
    """`calls` (call texts such as `f(x=1)`) written as a planner writes a
    plan: numbered from 1, closed by `join()`, or by `join($answer)` when
    that task's result is the whole answer, and by END_OF_PLAN. Gold,
    synthesized and grown plans are written with it, so all take one form."""
    lines = [f"{number}. {call}" for number, call in enumerate(calls, start=1)]
    closing = "join()" if answer is None else f"join(${answer})"
    lines.append(f"{len(calls) + 1}. {closing}")
    return "\n".join([*lines, END_OF_PLAN])


class PlanParser:
    """Feed it text with `feed`; it returns the calls whose lines completed.

    `known_ids` are task ids defined by earlier plans of the same run (a
    replan continues their numbering and may refer to them); `max_tasks`
    bounds the plan so a looping model cannot run on.
    """

    def __init__(self, *, known_ids: Collection[int] = (), max_tasks: int = 64) -> None:
        self._pieces: list[str] = []
        """The current, unfinished line, as the chunks that brought it (joined
        once, when the line ends, so a long line costs linear time)."""
        self._tail = ""
        """The last few characters fed, where an <END_OF_PLAN> split across chunks begins."""
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
        self._text: list[str] = []

    @property
    def defined(self) -> set[int]:
        """Ids of the tasks this plan has defined so far."""
        return set(self._defined)

    @property
    def text(self) -> str:
        """The plan text of the lines read so far (up to <END_OF_PLAN>)."""
        return "".join(self._text)

    def feed(self, chunk: str) -> list[ParsedCall]:
        """Take the next piece of text; return the calls of lines it completed.

        Only the new chunk (and the few characters before it where the end
        marker may begin) is searched, so feeding a long line in small chunks
        costs time linear in its length."""
        if self.ended or not chunk:
            return []
        window = self._tail + chunk
        marker = window.find(END_OF_PLAN)
        if marker != -1:
            kept = marker - len(self._tail)  # may be negative: the marker began in earlier chunks
            if kept < 0:
                self._drop_from_pieces(-kept)
                chunk = ""
            else:
                chunk = chunk[:kept]
            self.ended = True
            calls = self._take(chunk)
            line = self._pop_line()
            self._text.append(line + END_OF_PLAN)
            return calls + self._line_done(line)
        self._tail = window[-(len(END_OF_PLAN) - 1) :]
        return self._take(chunk)

    def close(self) -> list[ParsedCall]:
        """The text has ended: parse the last line and check the plan has its `join()`."""
        calls: list[ParsedCall] = []
        if not self.ended:
            line = self._pop_line()
            self._text.append(line)
            self.ended = True
            calls = self._line_done(line)
        if self.join_line is None:
            raise PlanError(
                "the plan has no join(); end every plan with a numbered `join()` line"
                + (" (the plan is empty)" if self._count == 0 else ""),
                line=self._line or None,
            )
        return calls

    def _take(self, chunk: str) -> list[ParsedCall]:
        """Add `chunk` to the current line; parse every line it completes."""
        calls: list[ParsedCall] = []
        if "\n" not in chunk:
            if chunk:
                self._pieces.append(chunk)
            return calls
        first, *middle, last = chunk.split("\n")
        self._pieces.append(first)
        for line in [self._pop_line(), *middle]:
            self._text.append(line + "\n")
            calls.extend(self._line_done(line))
        if last:
            self._pieces.append(last)
        return calls

    def _pop_line(self) -> str:
        """The current line as text, now taken out of the buffer."""
        line = "".join(self._pieces)
        self._pieces = []
        return line

    def _drop_from_pieces(self, count: int) -> None:
        """Remove the last `count` characters of the current line (the start of the end marker)."""
        line = self._pop_line()
        self._pieces = [line[: len(line) - count]]

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
        idx = task_number(digits)
        if idx is None or (idx not in self._defined and idx not in self._known):
            raise PlanError(
                f"join(${shown_digits(digits)}) names no task of the plan; write join() or join($N) with an earlier task's id",
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
        idx = task_number(head.group(1))
        if idx is None or not 1 <= idx <= MAX_TASK_ID:
            raise PlanError(
                f"task id {shown_digits(head.group(1))} is out of range 1..{MAX_TASK_ID}", line=self._line, column=1, text=text
            )
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
