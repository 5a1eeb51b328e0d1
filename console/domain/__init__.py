"""The domain: entities, enums and rules of election security, in pure Python."""
