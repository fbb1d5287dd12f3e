"""Delivery and sharing: reports sent, scheduled, published, and what changed between them."""
