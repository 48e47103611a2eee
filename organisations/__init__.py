"""Health boards, regional partnership boards, local authorities, PCPGs, clusters and delivery vehicles."""
