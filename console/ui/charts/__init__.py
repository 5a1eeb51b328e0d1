"""Standalone pyqtgraph chart widgets fed with numpy arrays (no records, no replica)."""
