"""Reception's sensitive fields: identity on the passenger list, health in the medical
details, the nationality check. Pages, API and exports that show them log the read."""

from mboa.core.sensitive import register

register(
    "reception.Passenger",
    family_name="identity", given_names="identity", birth_year="identity", birth_month="identity",
    birth_day="identity", place_of_birth="identity", document_number="identity", phone="identity",
    vulnerability_remarks="health", vulnerabilities="health",
)
register("reception.MedicalDetail", findings="health", vaccinations="health", hospital_referral="health")
register("reception.ReceptionStep", nationality_check="identity")

MEDICAL_FIELDS = ["findings", "vaccinations", "hospital_referral"]
