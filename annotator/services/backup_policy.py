"""How long backups are kept: here alone, so the command line can say it without importing the store."""

DEFAULT_KEEP_DAYS = 14
KEEP_NEWEST = 3  # kept whatever their age, so a project left alone for weeks still has backups
