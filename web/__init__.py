"""The web kit every domain uses: templating, forms, flash messages, paging, error pages and ETags."""
