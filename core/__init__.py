"""Shared kernel: money, periods, working days, the clock, errors, transactions. No tables, no HTTP."""
