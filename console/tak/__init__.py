"""A TAK bridge: units and open incidents out as Cursor-on-Target events, field positions (PLI)
in as unit moves. A headless console (sync + replica), never Qt."""
