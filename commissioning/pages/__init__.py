"""Pages of commissioning, one module per area (opportunities and detail, drafting, plans)."""
