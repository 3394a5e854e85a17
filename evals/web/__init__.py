"""The web benchmark: play WebArena-format tasks and MiniWoB++ episodes with a web agent, and score them.

Modules, in data-flow order: `items` (which tasks run, which lack a site
URL), `options` (how they are played), `worker` (a browser, sites and an
LLM per worker; scheduled by `agentc.evals.workers`), `outcome` (the
results line and the trace file), `report` (the table by site and the
trajectories), `cli` (`agentc eval web`). The environment itself (browser,
sites, task format, evaluators) is `agentc.envs.web`; the agents are in
`agentc.planners`.
"""
