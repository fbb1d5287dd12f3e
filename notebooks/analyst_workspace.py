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

# %% [markdown]
# # Analyst workspace: commentary
#
# Write the commentary of a client's report beside its numbers. Pick the client (and a period,
# or leave it empty for the one in the client's params file) and press **Open**. Each tab is one
# section of the report: write Markdown on the left, see it on the right as the report will show
# it, with `{{ placeholders }}` filled in (the *Placeholders* panel lists them) and any statement
# that contradicts the figures marked. A tab left empty shows the draft the report would print;
# **Start from the draft** copies it into the editor. **Save** writes
# `commentary/<client-id>/<period>.md`; run `nbreport run CLIENT` to see it in the report.
#
# This notebook is for the agency only: it is never run for a client.

# %% tags=["parameters"]
client_id = "northwind-outfitters"
period = ""  # empty: the period in the client's params file
project_dir = ".."  # the project folder, relative to this notebook
data_dir = ""  # empty: <project_dir>/data
outputs_dir = ""  # empty: <project_dir>/outputs (the reports compared below)

# %%
from nbreport.commentary.workspace import AnalystWorkspace

workspace = AnalystWorkspace(project_dir, client_id=client_id, period=period or None,
                             data_dir=data_dir or None)

# %%
workspace

# %% [markdown]
# ## What changed
#
# The report against the previous period's (each KPI: old, new, change) and, once it has been
# sent, every number a re-run moved since (late data, restated conversions); the same as
# `nbreport diff CLIENT PERIOD [--against sent]`.

# %%
from nbreport.delivery.workspace_view import report_changes

report_changes(project_dir, client_id, period or None, outputs_dir or None)
