"""The page kit every domain's pages use: templating, forms, flash messages, paging and error pages."""
