"""Delivery: reports sent on a schedule (``nbreport due``, ``run --due``, ``send --due``)."""
