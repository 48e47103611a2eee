"""Plans and priorities, specifications, clarifications, bids, evaluation and award."""
