"""Write operations on users, one module per thing: sign_in (sessions, tokens), users (accounts and their scope),
passwords (one-time links). Each is one audited transaction."""
