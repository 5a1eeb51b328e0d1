"""Dock panels of the console: one module each, discovered by the main window (see base.py)."""
