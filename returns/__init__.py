"""Delivery returns: what a delivery vehicle reports each quarter, KPI values, RAG status and their trend (issue 13)."""
