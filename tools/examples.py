"""Example plans: the few-shot plans a planner is shown after the tool list.

Every set lives here, in the plan language (`Question:`, numbered calls,
`join()`, `<END_OF_PLAN>`), with the functions that pick from them:

- `BUILTIN_EXAMPLES` call the built-in tools (`agentc.tools.builtin`);
- `DESKTOP_EXAMPLES` call the desktop toolkit (`agentc.tools.desktop`),
  which picks the ones closest to a question (TinyAgent's in-context
  example retrieval, `agentc.tools.desktop.examples`);
- `GENERIC_EXAMPLES` are for tools new to the planner on every question
  (the function-calling evaluation): they use tools of their own, named in
  each example, and only teach the plan's form: one call per request,
  independent calls side by side, a result used through `$N`, and a plan of
  only `join()` when no tool fits. They never use a tool or question of
  BFCL or Seal-Tools.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from agentc.parser import parse_plan
from agentc.plan import references

BUILTIN_EXAMPLES = [
    """Question: A recipe needs 2.5 pounds of flour. How many grams is that for 3 batches?
1. convert_units(value=2.5, from_unit="pounds", to_unit="grams")
2. calculate(expression="$1 * 3")
3. join()
<END_OF_PLAN>""",
    """Question: What do my notes say about the Lyon office and the Berlin office?
1. search_documents(query="Lyon office")
2. search_documents(query="Berlin office")
3. join()
<END_OF_PLAN>""",
    """Question: What is 8% of 150, and how many feet is 3 metres?
1. calculate(expression="0.08 * 150")
2. convert_units(value=3, from_unit="metres", to_unit="feet")
3. join()
<END_OF_PLAN>""",
    """Question: How many kilograms is 12 stone, and what is 45 * 19?
1. convert_units(value=12, from_unit="stone", to_unit="kg")
2. calculate(expression="45 * 19")
3. join()
<END_OF_PLAN>""",
]

DESKTOP_EXAMPLES = [
    """Question: Email Lutfi the slides and put a meeting with him on my calendar tomorrow at 3pm.
1. get_email_address(name="Lutfi")
2. find_file(name="slides")
3. send_email(recipients=["$1"], subject="Slides", body="Hi Lutfi, here are the slides.", attachments=["$2"])
4. create_calendar_event(title="Meeting with Lutfi", start="tomorrow at 3pm", attendees=["$1"])
5. join()
<END_OF_PLAN>""",
    """Question: Text Ann that I am running ten minutes late.
1. get_phone_number(name="Ann")
2. send_sms(recipients=["$1"], message="I am running ten minutes late.")
3. join()
<END_OF_PLAN>""",
    """Question: What is on my calendar on Friday?
1. list_calendar_events(day="friday")
2. join()
<END_OF_PLAN>""",
    """Question: Remind me to call the dentist tomorrow at 9am.
1. create_reminder(title="Call the dentist", due="tomorrow at 9am")
2. join()
<END_OF_PLAN>""",
    """Question: Set up a video call about the budget with Sam on Monday at 10am and send him the link.
1. create_meeting_link(topic="Budget")
2. get_email_address(name="Sam")
3. create_calendar_event(title="Budget call with Sam", start="monday at 10am", location="$1", attendees=["$2"])
4. send_email(recipients=["$2"], subject="Budget call", body="Join the budget call on Monday at 10am: $1")
5. join()
<END_OF_PLAN>""",
    """Question: Summarize the quarterly report PDF.
1. find_file(name="quarterly report")
2. summarize_file(path="$1")
3. join()
<END_OF_PLAN>""",
    """Question: Add "buy oat milk" to my shopping list note.
1. append_note_content(title="Shopping list", content="buy oat milk")
2. join()
<END_OF_PLAN>""",
    """Question: How do I get to the Ferry Building by walking, and show me Coit Tower on the map.
1. get_directions(destination="Ferry Building", mode="walking")
2. open_location(place="Coit Tower")
3. join()
<END_OF_PLAN>""",
    """Question: Write a note called Trip ideas with Lisbon and Porto, and draft an email to Mia about it.
1. create_note(title="Trip ideas", content="Lisbon and Porto")
2. get_email_address(name="Mia")
3. compose_email(recipients=["$2"], subject="Trip ideas", body="What do you think of Lisbon and Porto?")
4. join()
<END_OF_PLAN>""",
]

GENERIC_EXAMPLES: tuple[str, ...] = (
    """Tools: get_weather(city: str, unit: str = None)
Question: What is the weather in Paris and in Tokyo, in celsius?
1. get_weather(city="Paris", unit="celsius")
2. get_weather(city="Tokyo", unit="celsius")
3. join()
<END_OF_PLAN>""",
    """Tools: find_flight(origin: str, destination: str), book_seat(flight_id: str, seats: int)
Question: Find a flight from Oslo to Rome and book 2 seats on it.
1. find_flight(origin="Oslo", destination="Rome")
2. book_seat(flight_id=$1, seats=2)
3. join()
<END_OF_PLAN>""",
    """Tools: convert_currency(amount: float, source: str, target: str)
Question: Who wrote the novel Dracula?
1. join()
<END_OF_PLAN>""",
)

_QUESTION = re.compile(r"^Question: (.*)$", re.MULTILINE)
_CALL = re.compile(r"^\d+\. (\w+)\(", re.MULTILINE)


def example_question(example: str) -> str:
    """The question an example plan answers."""
    match = _QUESTION.search(example)
    if match is None:
        raise ValueError(f"example plan {example[:60]!r} has no `Question:` line")
    return match.group(1)


def example_tools(example: str) -> set[str]:
    """The tools an example plan calls."""
    return set(_CALL.findall(example)) - {"join"}


def examples_for(tool_names: Iterable[str], examples: Iterable[str] = BUILTIN_EXAMPLES) -> list[str]:
    """The `examples` (default: the built-in tools' ones) that call only tools in `tool_names`."""
    names = set(tool_names)
    return [e for e in examples if example_tools(e) <= names]


def example_uses(examples: Sequence[str]) -> list[tuple[str, list[str]]]:
    """`(question, tools its plan calls)` of each example, for Tool2Vec."""
    return [(example_question(e), sorted(example_tools(e))) for e in examples]


def example_feeders(examples: Iterable[str]) -> dict[str, set[str]]:
    """`{tool: the tools whose results feed its arguments in every example
    plan that calls it}`.

    In `send_sms(recipients=["$1"])` after `1. get_phone_number(...)`, the
    message needs the lookup: a selector that shows `send_sms` should show
    `get_phone_number` too, or the planner has no way to write the number.
    A tool fed only sometimes (`find_file` for an email's attachment) is
    left out, so that the companions of one tool do not crowd out the
    tools of the rest of a request.
    """
    always: dict[str, set[str]] = {}
    for example in examples:
        question = _QUESTION.search(example)
        calls = [c for c in parse_plan(example[question.end() if question else 0 :]) if not c.is_join]
        tools = {c.idx: c.tool for c in calls}
        for call in calls:
            fed = {tools[n] for n in references((call.positional, call.keywords)) if n in tools}
            always[call.tool] = always[call.tool] & fed if call.tool in always else fed
    return {tool: fed for tool, fed in always.items() if fed}
