"""Geography without Qt: Web Mercator, tile arithmetic and sources, GeoJSON, base boundaries, geocoding."""
