"""`cdv demo --scale NAME`: budgets, specifications, awards, contracts, delivery returns and payments at scale,
written in bulk (api/scale/bulk.py), exact to the penny as the services make them:

- each contract year's value is split across its clusters by population share (contracts.rules, largest remainder),
  or evenly in pence when a cluster has no known population (an explicit split, as a commissioner would give);
- each year is committed on a budget line with that split (BudgetCommitment + BudgetCommitmentCluster);
- the payment schedule is contracts.rules.payment_schedule, the returns contracts.rules.return_schedule;
- a payment is approved only when the app would let it be (returns.rules.is_payable), for the scheduled amount,
  split by returns.rules.payment_split, on the year's budget line, so it moves from committed to actual as the
  ledger (finance/queries.py) computes it;
- each budget line is set above what is held on it, so no line is over-committed.

No audit events are written for the generated rows (the trail's hash chain is left as it was, and
`cdv audit verify` still passes): the rows are synthetic, not changes anybody made."""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

from api.scale import organisations, plan
from api.scale.bulk import BulkWriter, Progress
from api.scale.contracts import write_contract, write_open_specification
from api.scale.model import CHUNK_CONTRACTS, Context, Summary
from api.scale.profiles import Profile
from commissioning.tables import Specification


class AlreadyGenerated(Exception):
    """This scale's data is already in the database: `cdv demo --reset --scale NAME` starts again."""


async def generate(profile: Profile, *, now: datetime, seed: int = 14, stream: TextIO | None = None) -> Summary:
    """Write the profile's data; refused when it is already there (its references' prefix is taken)."""
    if await Specification.exists().where(Specification.reference.like(f"{profile.reference_prefix}%")):
        raise AlreadyGenerated(profile.name)
    progress = Progress(total=0, stream=stream)
    async with BulkWriter(progress) as writer:
        gen = Context(profile, now=now, seed=seed, writer=writer)
        clusters = await organisations.organisations(gen)
        vehicles = await organisations.vehicles(gen, clusters)
        menu = await organisations.menu(gen)
        lines = await organisations.line_ids(gen, {c.pcpg: c.health_board for c in clusters})
        contracts, specifications = plan.plan(gen, clusters, vehicles, menu, lines)
        progress.total = progress.written + len(gen.line_keys) + plan.estimate_rows(contracts, specifications)
        progress.line("planned")
        await organisations.write_lines(gen, contracts, specifications)
        for start in range(0, len(contracts), CHUNK_CONTRACTS):
            for planned in contracts[start : start + CHUNK_CONTRACTS]:
                await write_contract(gen, planned)
            await writer.flush()
        for s in specifications:
            await write_open_specification(gen, s)
        await writer.flush()
    progress.line("done")
    return Summary(profile.name, dict(writer.written), progress.elapsed)
