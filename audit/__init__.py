"""The audit trail: append-only, hash-chained events, written by `operation()` and checked by `cdv audit verify`."""
