"""What is generic: the role table and the access decorator, input hardening and widgets for forms, the
service helpers of views, filters, the no-store middleware, optimistic locking and pagination."""
