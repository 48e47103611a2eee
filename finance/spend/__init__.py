"""The spend report (issue 14): the ledger's money grouped by one or two of cluster, PCPG, health board, menu service,
delivery vehicle, financial year and funding stream, with spend per head of population.

`finance.spend.queries.spend_report(actor=..., filters=SpendFilterIn(...))` -> `SpendReportOut` (Structs in
`finance.spend.schemas`) is the interface the API, the page, the
CSV and Excel files and the dashboard share. Every figure is summed by the database (GROUP BY, on both databases):
one statement however many lines, commitments and payments there are (`sql.py`: the ledger's parts built once, in a
CTE read for both the rows and the population facts), and one per named grouping for the names. The files are in
`exports.py`, the API in `controllers.py`, the page in `pages.py`.

How it adds up. A budget line's ledger (finance.rules.Ledger) is split into parts that each belong to one group:

- what contracts committed on the line, by the cluster it was split to (BudgetCommitmentCluster), counts as
  budget, committed and "committed, not yet spent" of that cluster, contract, menu service and vehicle;
- each approved payment on the line, by cluster (PaymentCluster), moves its amount from "committed, not yet spent"
  to actual there;
- the rest of the line (its budget less its commitments, its earmarks, its headroom, and any spend beyond its
  commitments) is held for the PCPG, not yet given to a contract: on groupings by cluster, menu service or delivery
  vehicle it is a row of its own (`held_for_pcpg`), since nothing attributes it further.

So every row adds up (budget = earmarked + committed, not yet spent + actual + headroom) and the rows of any
grouping sum to the ledger's totals to the penny. A commitment or payment whose cluster split does not cover its whole
amount (older rows) shows its remainder on a "not split by cluster" row (`not_split_by_cluster`) when grouping by
cluster. Where a cluster was paid more than its contracts hold there (largest remainders can split a payment a
penny differently from its commitment; a commitment released after a payment), its "committed, not yet spent" is
below nothing by that much, and the line's other rows make up for it: the line as a whole is never netted twice.

Per head. Only money given to clusters with a known population (organisations.tables.Cluster.population, with the
date its source gives) is divided, by the population of those clusters: a cluster's own row for a cluster, and for
any larger group the clusters its contracts reached. Clusters without a known population are never guessed: their
money is left out of the per-head figures, and they are counted and named on each row and for the whole report.
Budget and earmarks are held by PCPG, not by cluster, so they have no per-head figure.
"""
