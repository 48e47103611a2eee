"""Menu of cluster services: the national catalogue, its versions and KPI templates (issue 3)."""
