"""Budget lines, the commitment ledger, spend reports and exports."""
