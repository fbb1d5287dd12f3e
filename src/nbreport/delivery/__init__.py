"""Delivery: what goes with each report (its data pack), and reports sent to clients on a
schedule (``nbreport due``, ``run --due``, ``send --due``)."""
