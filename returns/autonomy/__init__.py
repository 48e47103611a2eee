"""Earned autonomy's side in the returns domain (issue 15, item 5): the KPI results that earn a tier, the quarterly
recompute by the clock, a commissioner's override and the vehicle's autonomy page. The tables, the tier rules and
the schedule-facing reads live in contracts (contracts.autonomy_rules, contracts.queries.autonomy)."""
