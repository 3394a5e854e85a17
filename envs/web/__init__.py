"""A real browser as an agent environment: observations, actions, tasks, evaluators.

The environment (`browser.BrowserEnv`) drives Chromium through Playwright; the
agent sees an `Observation` (cleaned page text with numeric element ids plus the
ARIA snapshot) and answers with one `Action` per step. Tasks use WebArena's JSON
format (`tasks.WebTask`) and are scored by `evaluators.evaluate`.
"""
