"""What is generic: input hardening for forms, the no-store middleware and optimistic locking."""
