"""Imported last by the kernel zygote: hides everything imported so far from the garbage collector.

The zygote imports pandas, matplotlib, prophet and the report library: some two hundred
thousand objects that live as long as the process. Each full collection in a kernel would walk
them all (about a tenth of a second per report) and write to their pages, which the kernel
otherwise shares with the zygote. ``gc.freeze()`` moves them to a generation that collections
never visit; objects the report creates are collected as usual.

Like :mod:`nbreport.report.preload`, this module does its work when imported (see
:data:`nbreport.speedups.zygote.ZYGOTE_PRELOAD`).
"""

import gc

gc.freeze()
