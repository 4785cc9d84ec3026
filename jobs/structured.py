"""schema.org JobPosting JSON-LD for public postings, so search engines can list them.

Only a live posting of a public community carries it. The block is data (type application/ld+json), which
browsers never execute, so the CSP's script-src does not apply to it; `<`, `>` and `&` are escaped so no text
from a posting can end the element.
"""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community

from .models import Posting

EMPLOYMENT_TYPES = {
    Posting.Contract.PERMANENT: "FULL_TIME",
    Posting.Contract.FIXED_TERM: "TEMPORARY",
    Posting.Contract.INTERIM: "CONTRACTOR",
    Posting.Contract.SECONDMENT: "TEMPORARY",
}
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def carries_json_ld(posting: Posting) -> bool:
    return posting.community.visibility == Community.Visibility.PUBLIC and posting.is_live()


def job_posting(posting: Posting) -> dict:
    """The JobPosting object: title, description, dates, employer, where, contract and pay where given."""
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html,
        "datePosted": (posting.published_at or posting.created_at).isoformat(timespec="seconds"),
        "validThrough": posting.closes_at.isoformat(timespec="seconds"),
        "employmentType": EMPLOYMENT_TYPES[posting.contract],
        "hiringOrganization": {"@type": "Organization", "name": posting.employer},
        "url": f"{settings.SITE_URL}{posting.get_absolute_url()}",
        "directApply": False,
    }
    if posting.is_remote:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "United Kingdom"}
    if posting.location or not posting.is_remote:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": posting.location, "addressCountry": "GB"},
        }
    if posting.salary_min is not None or posting.salary_max is not None:
        value = {"@type": "QuantitativeValue", "unitText": "YEAR"}
        if posting.salary_min is not None:
            value["minValue"] = posting.salary_min
        if posting.salary_max is not None:
            value["maxValue"] = posting.salary_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "GBP", "value": value}
    return data


def json_ld_script(posting: Posting) -> SafeString:
    """The `<script type="application/ld+json">` element, or nothing for a posting that must not carry one."""
    if not carries_json_ld(posting):
        return mark_safe("")
    text = json.dumps(job_posting(posting), ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)
