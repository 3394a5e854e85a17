"""A real browser as an agent environment: observations, actions, tasks, evaluators.

Agents act through the `env.BrowserEnv` Protocol: they see an `Observation`
(cleaned page text with numeric element ids plus the ARIA snapshot) and
answer with one `Action` per step. `browser.PlaywrightEnv` drives Chromium
through Playwright; `miniwob.MiniWoBEnv` adapts it to MiniWoB++ pages.
Tasks use WebArena's JSON format (`tasks.WebTask`) and are scored by
`evaluators.evaluate`. Errors are in `errors`. Nothing here knows about
agents or evaluation runs: those sit above (`agentc.planners`, `agentc.evals`).
"""
