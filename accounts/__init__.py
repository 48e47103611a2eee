"""Users, roles and their scope, sign-in (sessions and API tokens), language preference."""
