"""Serving the app with several servers behind a load balancer (make serve); see README, "Serving many readers"."""
