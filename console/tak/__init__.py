"""A TAK bridge: the picture out as Cursor-on-Target events, field positions (PLI) in as unit moves; a headless console (sync + replica), never Qt."""
