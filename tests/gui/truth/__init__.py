"""End-to-end truth checks: a real server, a console replica synced from it by the real sync
engine, the panels over that replica, and every figure they show against the server's database."""
