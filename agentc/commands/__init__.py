"""The `agentc` commands that build on a library below them: the local
assistant (`agentc.edge.assistant`) and planner tuning (`agentc.edge.tune`).
`agentc.cli` imports each only when it runs."""
