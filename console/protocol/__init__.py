"""The wire schema shared by the server and the console (pydantic models, API version)."""
