"""Executing the master notebook (papermill), exporting it (nbconvert) and the index pages."""
