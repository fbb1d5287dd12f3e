"""Delivering reports to clients: what goes with each report and how it reaches them."""
