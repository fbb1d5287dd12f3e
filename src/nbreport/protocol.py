"""What the master notebook and the batch engine agree on, in a module that imports nothing.

The batch engine reads each executed notebook's run summary in its own process;
importing it from :mod:`nbreport.report` would load pandas, matplotlib and every
report section there (about two seconds of CPU taken from the kernels).
"""

SUMMARY_MIME = "application/vnd.nbreport.summary+json"
