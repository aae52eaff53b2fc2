"""The referral's sensitive fields: the health details (health structures only) and the
identity snapshot that travelled. The selectors that show them log each read
(selectors.referral_detail_for_user; lists: one row per response)."""

from mboa.core.sensitive import register

register("referrals.Referral", health_details="health", shared_data="identity")
