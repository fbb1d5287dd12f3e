"""Many clients in one run: validation, parallel execution, isolation, manifest and index."""

from nbreport.batch.manifest import read_manifest, update_manifest
from nbreport.batch.pipeline import ClientTask, ClientWork, run_client
from nbreport.batch.results import ClientError, ClientResult
from nbreport.batch.runner import BatchOptions, BatchOutcome, plan, publish_indexes, run_batch

__all__ = [
    "BatchOptions",
    "BatchOutcome",
    "ClientError",
    "ClientResult",
    "ClientTask",
    "ClientWork",
    "plan",
    "publish_indexes",
    "read_manifest",
    "run_batch",
    "run_client",
    "update_manifest",
]
