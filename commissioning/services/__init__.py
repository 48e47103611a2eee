"""Write operations of commissioning, one module per thing (plans, specifications, clarifications)."""
