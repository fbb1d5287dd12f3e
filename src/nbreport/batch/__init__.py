"""Many clients in one run: validation, execution, failure isolation, manifest and index."""

from nbreport.batch.manifest import read_manifest, update_manifest
from nbreport.batch.results import ClientError, ClientResult
from nbreport.batch.runner import BatchOutcome, ClientTask, plan, run_batch, run_client

__all__ = [
    "BatchOutcome",
    "ClientError",
    "ClientResult",
    "ClientTask",
    "plan",
    "read_manifest",
    "run_batch",
    "run_client",
    "update_manifest",
]
