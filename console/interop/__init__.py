"""Interoperability: the field's standards in and out (CAP 1.2, GeoJSON, Cursor-on-Target); Qt-free."""
