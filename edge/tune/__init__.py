"""Fine-tuning the bundled model to plan: training data for agentc's own toolkits."""
