"""The artifact protocol on the server: finding generated components in a streamed answer."""
