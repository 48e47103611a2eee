"""Synthetic data at scale for `cdv demo --scale` (issue 14, item 6): written in bulk, checked by check.py."""
