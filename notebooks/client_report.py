# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Master client report
#
# One notebook, every client: `nbreport run` executes it once per client with that client's
# parameters and exports it to a branded HTML page without any code. Each cell below is one
# library call; the Markdown cells are the report's headings and fixed text.
#
# To work on it by hand, set `client_id` in the next cell and run all cells. Cells tagged
# `remove-cell` (like this one) never reach a client.

# %% tags=["parameters"]
# Filled in for each client by `nbreport run`; these defaults let an analyst run it by hand.
client_id = "northwind-outfitters"
period = ""  # e.g. "2026-10"; empty: the period in the client's params file
params = {}  # the validated parameters, injected by `nbreport run`
project_dir = ".."  # the project folder, relative to this notebook
data_dir = ""  # empty: <project_dir>/data
outputs_dir = ""  # empty: <project_dir>/outputs (earlier reports' stored forecasts are read there)

# %%
from nbreport.report import open_report, run_summary, sections

# artifacts_dir: the files kept for later (stored forecasts, results, the rows behind them) go
# to the working folder; `nbreport run` moves them beside the report
report = open_report(client_id, params=params, period=period or None, project_dir=project_dir,
                     data_dir=data_dir or None, outputs_dir=outputs_dir or None, artifacts_dir=".")

# %% [markdown]
# ## Executive summary

# %%
sections.executive_summary(report)

# %%
sections.commentary(report, "executive-summary")

# %% [markdown]
# ### Recommendations and next steps

# %%
sections.next_steps(report)

# %% [markdown]
# ## Wins and challenges

# %%
sections.wins_and_challenges(report)

# %% [markdown]
# ## Performance against targets

# %%
sections.scorecard(report)

# %%
sections.commentary(report, "targets")

# %% [markdown]
# ## Trends

# %%
sections.trends(report)

# %%
sections.commentary(report, "trends")

# %% [markdown]
# ## Forecast

# %%
sections.forecast(report)

# %% [markdown]
# ## Budget

# %%
sections.budget(report)

# %% [markdown]
# ## Campaigns

# %%
sections.campaigns(report)

# %%
sections.commentary(report, "campaigns")

# %% [markdown]
# ## Customer success

# %%
sections.customer_success(report)

# %% [markdown] tags=["appendix"]
# ## How this report was made
#
# The detail behind the figures above, how the forecasts are made, and every file the numbers
# come from.

# %% [markdown]
# ### Comparisons and pacing

# %%
sections.comparisons(report)

# %% [markdown]
# ### What drove the changes
#
# Each channel's part in the change of the headline KPIs since the previous period.
#
# Wins and challenges are chosen among these changes: a change counts only when it rests on
# enough data and is too large to be chance, the largest first.

# %%
sections.drivers(report)

# %% [markdown]
# ### How the forecasts are made and how they did

# %%
sections.forecast_record(report)

# %% [markdown]
# ### Budget by channel and campaign

# %%
sections.budget_detail(report)

# %% [markdown]
# ### Customer success in detail

# %%
sections.customer_success_detail(report)

# %% [markdown]
# ### Checking the numbers across sources
#
# The same number as each source reports it, and which source we take as the truth.

# %%
sections.triangulation(report)

# %% [markdown]
# ### Data sources
#
# Every number in this report comes from the files below.

# %%
sections.data_sources(report)

# %%
run_summary(report)
