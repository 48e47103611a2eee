"""Reads for pages, API and reports, one module per thing (specifications, plans, bids, evaluation, award...)."""
