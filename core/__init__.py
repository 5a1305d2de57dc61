"""What is generic: input hardening for forms, the no-store middleware, optimistic locking and pagination."""
