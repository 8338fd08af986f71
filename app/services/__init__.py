"""Plain functions that read and change the database; the routers call these."""
