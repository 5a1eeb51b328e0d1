"""The situation map: MapView (pyqtgraph over Web Mercator), its layers, symbols and legend."""
