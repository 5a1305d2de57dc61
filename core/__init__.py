"""What is generic: the role table and the access decorator, calendar arithmetic, record retention, kana
and digit normalising, input hardening and widgets for forms, the service helpers of views, filters, the
no-store middleware, optimistic locking and pagination."""
