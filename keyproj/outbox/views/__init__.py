"""The outbox's pages: each user's notification settings (preferences), the office's deliveries
(deliveries) and group robots (robots)."""
