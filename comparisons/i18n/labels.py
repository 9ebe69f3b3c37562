"""Translatable labels for the values of enum columns (one definition; pages call `_(LABELS[...])`)."""

from __future__ import annotations

from comparisons.i18n import N_

COUNTRY_NAMES: dict[str, str] = {
    "NO": N_("Norway"),
    "DK": N_("Denmark"),
    "SE": N_("Sweden"),
    "FI": N_("Finland"),
    "EU": N_("EU"),
    "INT": N_("International"),
}
RELIABILITY: dict[str, str] = {
    "primary": N_("Primary source"),
    "secondary": N_("Secondary source"),
    "advertorial": N_("Paid content (advertorial)"),
}
SOURCE_KIND: dict[str, str] = {
    "article": N_("Article"),
    "report": N_("Report"),
    "statistics": N_("Statistics"),
    "budget": N_("Budget"),
    "dataset": N_("Dataset"),
    "derived": N_("Derived by the workbench"),
}
# The workbench's own source of derived figures (kind "derived" in sources.csv) is the app's own text, not a
# publication's: its title and publisher are written in English in the data and shown in the reader's language
# (comparisons.evidence.base.sources_in). tests/test_derived_source.py checks that the data uses these texts.
DERIVED_SOURCE_TEXTS: dict[str, str] = {
    "title": N_("Calculations in the Nordic LUP workbench"),
    "publisher": N_("Nordic LUP workbench"),
}
BOUND: dict[str, str] = {
    "exact": N_("exact"),
    "approx": N_("approximately"),
    "at_least": N_("at least"),
    "at_most": N_("at most"),
}
FIT: dict[str, str] = {"strong": N_("Strong fit"), "partial": N_("Partial fit"), "none": N_("No counterpart")}
STATUS: dict[str, str] = {"present": N_("Present"), "partial": N_("Partial"), "missing": N_("Missing")}
RELATION: dict[str, str] = {
    "founder": N_("Founder"),
    "owner": N_("Owner"),
    "steering_group": N_("Steering group"),
    "partner": N_("Partner"),
    "funder": N_("Funder"),
    "host": N_("Host"),
    "facilitator": N_("Facilitator"),
    "collaborator": N_("Collaborator"),
    "member": N_("Member"),
    "participant": N_("Participant"),
    "chair": N_("Chair"),
    "vice_chair": N_("Vice-chair"),
    "project_manager": N_("Project manager"),
    "succeeded_by": N_("Succeeded by"),
    "merged_into": N_("Merged into"),
}
ACTOR_KIND: dict[str, str] = {
    "business_association": N_("Business association"),
    "municipal_association": N_("Municipal association"),
    "regional_association": N_("Regional association"),
    "ministry": N_("Ministry"),
    "agency": N_("Agency"),
    "central_purchasing_body": N_("Central purchasing body"),
    "innovation_agency": N_("Innovation agency"),
    "research_council": N_("Research council"),
    "fund": N_("Fund"),
    "cluster": N_("Cluster"),
    "innovation_centre": N_("Innovation centre"),
    "municipality": N_("Municipality"),
    "county": N_("County council"),
    "region": N_("Region"),
    "state_body": N_("State body"),
    "company": N_("Company"),
    "programme": N_("Programme"),
    "union_confederation": N_("Union confederation"),
    "public_sector": N_("Public sector (aggregate)"),
    "university": N_("University"),
    "hospital_trust": N_("Hospital trust"),
    "network": N_("Network"),
}
INITIATIVE_KIND: dict[str, str] = {
    "programme": N_("Programme"),
    "partnership": N_("Partnership"),
    "fund": N_("Fund"),
    "strategy": N_("Strategy"),
    "method": N_("Method"),
    "network": N_("Network"),
    "agreement": N_("Agreement"),
    "project": N_("Project"),
}
CURRENCIES: tuple[str, ...] = ("NOK", "DKK", "EUR")
# The currency a reader of each language compares in by default (NO-vs-DK views always show ISO codes).
DEFAULT_CURRENCY: dict[str, str] = {"nb": "NOK", "da": "DKK", "en": "EUR"}
