"""Final values of the status enums (``x-final-values``). Written by scripts/regenerate."""

from .models.job_status_value import JobStatusValue

#: The values of JobStatusValue a lifecycle never leaves.
JOB_STATUS_VALUE_FINAL = frozenset({JobStatusValue("completed"), JobStatusValue("failed")})

__all__ = ["JOB_STATUS_VALUE_FINAL"]
