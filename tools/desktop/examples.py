"""Example plans for the desktop tools, and the pick of those most like a question.

The planner sees a few of these after the tool list (TinyAgent's in-context
example retrieval): the ones whose question is closest to the user's, and
only ones that call tools the planner was shown.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from agentc.tools.builtin.examples import examples_for

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

_QUESTION = re.compile(r"^Question: (.*)$", re.MULTILINE)
_CALL = re.compile(r"^\d+\. (\w+)\(", re.MULTILINE)
_WORD = re.compile(r"[a-z0-9]+")

Similarity = Callable[[str, Sequence[str]], Sequence[float]]
"""`(question, example questions) -> a score for each`, higher is closer."""


def example_uses(examples: Sequence[str]) -> list[tuple[str, list[str]]]:
    """`(question, tools its plan calls)` of each example, for Tool2Vec."""
    return [(_QUESTION.search(e).group(1), sorted(set(_CALL.findall(e)) - {"join"})) for e in examples]  # type: ignore[union-attr]


def word_overlap(question: str, others: Sequence[str]) -> list[float]:
    """Jaccard overlap of lower-cased words: a similarity that needs no model."""
    words = set(_WORD.findall(question.lower()))
    scores = []
    for other in others:
        theirs = set(_WORD.findall(other.lower()))
        scores.append(len(words & theirs) / max(1, len(words | theirs)))
    return scores


def similar_examples(
    question: str,
    tool_names: Iterable[str],
    *,
    k: int = 3,
    examples: Sequence[str] = DESKTOP_EXAMPLES,
    similarity: Similarity = word_overlap,
) -> list[str]:
    """The `k` examples whose question is most like `question`, among those
    that call only `tool_names`; the closest last, nearest the question."""
    usable = examples_for(tool_names, examples)
    if not usable:
        return []
    scores = similarity(question, [_QUESTION.search(e).group(1) for e in usable])  # type: ignore[union-attr]
    ranked = sorted(zip(scores, range(len(usable))), reverse=True)[:k]
    return [usable[i] for _, i in reversed(ranked)]


def embedding_similarity(encoder: object) -> Similarity:
    """A `Similarity` from a sentence encoder with `encode(texts) -> vectors`
    (e.g. `agentc.retrieval.SentenceEncoder`), by cosine."""
    import numpy as np

    def score(question: str, others: Sequence[str]) -> list[float]:
        vectors = np.asarray(encoder.encode([question, *others]), dtype=float)  # type: ignore[attr-defined]
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return [float(v) for v in vectors[1:] @ vectors[0]]

    return score
