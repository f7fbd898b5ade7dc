"""/refunds/: the refunds list, a refund's page, the agent's two answers to a failed refund
(retry, or record it as paid another way), and the day's report as CSV."""
