"""Assembly only: the Litestar app, dependencies, error mapping, templating and the cdv command."""
