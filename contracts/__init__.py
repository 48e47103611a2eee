"""Contracts, allocations, variations, status, viability and the contract document."""
