"""The tool-retrieval benchmark: fit each retrieval method on training queries, score it on held-out ones.

`scores` holds what a run records (one `MethodResult` line per method) and
shows (the scores table, the report, the summary JSON); `cli` is
`agentc eval retrieval`. The retrievers, data set loaders and metrics
themselves are `agentc.retrieval`.
"""
