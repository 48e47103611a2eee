"""Pages of accounts, one module per thing: sign_in (sign in and out, the dashboard), users (national
administrators manage users), passwords (setting a password with a one-time link)."""
