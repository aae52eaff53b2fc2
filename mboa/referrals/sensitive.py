"""The referral's sensitive fields: the health details (health structures only) and the
identity snapshot that travelled. Pages and API log each read (mboa.core.sensitive.log_read)."""

from mboa.core.sensitive import register

register("referrals.Referral", health_details="health", shared_data="identity")
