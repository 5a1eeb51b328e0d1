"""Dialogs of the console: login, incident form, unit picker, conflict resolution."""
