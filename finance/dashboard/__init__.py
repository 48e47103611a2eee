"""The finance dashboard (issue 14, item 3): its read (queries.py) and its page (pages.py)."""
