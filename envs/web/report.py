"""The HTML report of a web eval: the success table by site and every trajectory.

One self-contained page (inline CSS, no scripts), rendered by Jinja2 with
autoescaping on, so a page title or an LLM's output cannot break it.
Screenshots are linked by their paths relative to the report.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from agentc.envs.web.runner import TaskOutcome, summary

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.9em; }
.pass { color: #070; font-weight: bold; } .fail { color: #a00; font-weight: bold; }
details { margin: 0.3em 0 1em 1em; } summary { cursor: pointer; }
img { max-width: 480px; border: 1px solid #ccc; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{% for k, v in setup.items() %}{{ k }}: <code>{{ v }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</p>
<h2>Success by site</h2>
<table><thead><tr><th>site</th><th>n</th><th>passed</th><th>success</th><th>steps/task</th><th>s/task</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.site }}</td><td class="num">{{ row.n }}</td><td class="num">{{ row.passed }}</td>
<td class="num">{{ "%.1f"|format(100 * row.rate) }}%</td><td class="num">{{ "%.1f"|format(row.steps) }}</td>
<td class="num">{{ "%.2f"|format(row.seconds) }}</td></tr>
{% endfor %}</tbody></table>
<h2>Tasks ({{ outcomes|length }})</h2>
<table><thead><tr><th>task</th><th>site</th><th>result</th><th>answer</th><th>stop</th><th>steps</th><th>intent</th></tr></thead><tbody>
{% for o in outcomes %}<tr><td><a href="#t-{{ loop.index }}">{{ o.result.key }}</a></td><td>{{ o.result.site }}</td>
<td class="{{ 'pass' if o.result.passed else 'fail' }}">{{ 'pass' if o.result.passed else ('error' if o.result.error else 'fail') }}</td>
<td>{{ o.result.answer if o.result.answer is not none else '' }}</td><td>{{ o.result.stop_reason or '' }}</td>
<td class="num">{{ o.result.steps }}</td><td>{{ o.result.intent }}</td></tr>
{% endfor %}</tbody></table>
<h2>Trajectories</h2>
{% for o in outcomes %}
<h3 id="t-{{ loop.index }}">{{ o.result.key }} · <span class="{{ 'pass' if o.result.passed else 'fail' }}">{{ 'pass' if o.result.passed else 'fail' }}</span></h3>
<p>{{ o.result.intent }}</p>
{% if o.result.error %}<p class="fail">error: {{ o.result.error }}</p>{% endif %}
<p>answer: <code>{{ o.result.answer }}</code> · stop: {{ o.result.stop_reason }} · {{ o.result.steps }} step(s),
{{ o.result.replans }} replan(s), {{ o.result.llm_calls }} LLM call(s), {{ "%.2f"|format(o.result.seconds) }} s</p>
{% if o.result.details %}<ul>{% for d in o.result.details %}<li>{{ d }}</li>{% endfor %}</ul>{% endif %}
{% if o.run %}
{% if o.run.plans %}<details><summary>plans ({{ o.run.plans|length }})</summary>
{% for p in o.run.plans %}<p>plan {{ loop.index }}</p><pre>{{ p }}</pre>{% endfor %}</details>{% endif %}
<table><thead><tr><th>#</th><th>action</th><th>plan step / thought</th><th>page after</th><th>error</th><th>screenshot</th></tr></thead><tbody>
{% for s in o.run.actions %}<tr><td class="num">{{ s.step }}</td><td><code>{{ s.action }}</code></td>
<td>{{ s.plan_step or '' }}{% if s.thought %}<br><i>{{ s.thought }}</i>{% endif %}</td>
<td>{{ s.title }}<br><small>{{ s.url }}</small></td><td>{{ s.error or '' }}</td>
<td>{% if s.screenshot %}<a href="{{ shot(s.screenshot) }}"><img src="{{ shot(s.screenshot) }}" alt="step {{ s.step }}"></a>{% endif %}</td></tr>
{% endfor %}</tbody></table>
{% if o.run.parse_failures %}<details><summary>unreadable outputs ({{ o.run.parse_failures|length }})</summary><ul>
{% for f in o.run.parse_failures %}<li><pre>{{ f }}</pre></li>{% endfor %}</ul></details>{% endif %}
{% if o.run.trace.llm_calls %}<details><summary>LLM calls ({{ o.run.trace.llm_calls|length }})</summary>
{% for c in o.run.trace.llm_calls %}<p>{{ c.role }} · {{ c.prompt_tokens }} + {{ c.completion_tokens }} tokens{% if c.error %} · <span class="fail">{{ c.error }}</span>{% endif %}</p><pre>{{ c.completion }}</pre>{% endfor %}
</details>{% endif %}
{% endif %}
{% endfor %}
</body></html>
"""


def site_rows(outcomes: Sequence[TaskOutcome]) -> list[dict[str, Any]]:
    """One row per site and a last "all" row: n, passed, rate, mean steps and seconds."""
    groups: dict[str, list[TaskOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.result.site, []).append(outcome)
    if len(groups) > 1:
        groups["all"] = list(outcomes)
    rows = []
    for site, group in groups.items():
        n = len(group)
        rows.append(
            {
                "site": site,
                "n": n,
                "passed": sum(o.result.passed for o in group),
                "rate": summary([o.result for o in group])["success_rate"],
                "steps": sum(o.result.steps for o in group) / n,
                "seconds": sum(o.result.seconds for o in group) / n,
            }
        )
    return rows


def html_report(outcomes: Sequence[TaskOutcome], *, title: str, setup: dict[str, Any], path: Path) -> str:
    """The report page for `outcomes`, to be written at `path` (screenshot links are relative to it)."""
    import jinja2

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(_TEMPLATE)

    def shot(screenshot: str) -> str:
        return os.path.relpath(screenshot, path.resolve().parent)

    return template.render(title=title, setup=setup, rows=site_rows(outcomes), outcomes=outcomes, shot=shot)


def write_report(outcomes: Sequence[TaskOutcome], *, title: str, setup: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(outcomes, title=title, setup=setup, path=path), encoding="utf-8")
    return path
