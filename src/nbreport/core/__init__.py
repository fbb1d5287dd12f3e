"""The leaf of nbreport: what every layer uses and what uses nothing of nbreport.

Periods (:mod:`.period`), reading YAML files (:mod:`.yamlfile`), writing files atomically
(:mod:`.files`), number formatting (:mod:`.formatting`), file digests (:mod:`.digests`), the
project's folder layout (:mod:`.layout`), the error hierarchy (:mod:`.errors`), strict
pydantic models (:mod:`.strict_model`), weekday names (:mod:`.weekdays`), the compute cache
(:mod:`.compute_cache`) and the digest of the code behind a cached result (:mod:`.code_digest`). A module here
imports only the standard library, third-party libraries and other modules of ``core``;
``tests/test_core_is_leaf.py`` holds it to that.
"""
