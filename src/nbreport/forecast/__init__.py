"""Forecasts of the KPIs, the chance of reaching their targets, and their track record.

Modules, in the order data flows through them:

* ``spec`` -- the ``forecast:`` settings of a params file (plain pydantic; no pandas);
* ``history`` -- a series on a regular calendar, gaps kept, outliers set aside;
* ``naive``, ``prophet_model`` -- the seasonal-naive baseline and prophet (imported lazily);
* ``select`` -- which method, checked on the last complete period, and its sampled forecast;
* ``samples`` -- intervals, totals, paired ratios and probabilities from predictive samples;
* ``engine`` -- a report's forecasts (:func:`~nbreport.forecast.engine.forecast_report`);
* ``store`` -- ``forecasts.json`` per run, held to account by later runs;
* ``backtest`` -- rolling-origin backtests against seasonal naive (``nbreport backtest``).

Importing this package imports nothing heavy.
"""
