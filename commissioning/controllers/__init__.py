"""JSON API of commissioning, one module per thing (plans, specifications, clarifications, bids, evaluation, award)."""
