"""sitroom: election security situation-room console and central server."""

__version__ = "0.1.0"
