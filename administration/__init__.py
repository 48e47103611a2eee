"""National settings that live in the database, so that every app process sees the same: the training clock."""
