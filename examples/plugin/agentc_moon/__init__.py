"""An example agentc plug-in: tools about the moon, computed offline."""
