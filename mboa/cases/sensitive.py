"""Sensitive fields of cases: psychosocial notes are the most restricted data of the
platform. Pages and API log each read (mboa.core.sensitive.log_read)."""

from mboa.core.sensitive import register

PSYCHOSOCIAL = "psychosocial"
register("cases.CounsellingSession", notes=PSYCHOSOCIAL)
register("cases.Assessment", answers="health")  # vulnerability answers may describe health and violence
