"""Mail: sending (outbox, SMTP) and notifications."""
