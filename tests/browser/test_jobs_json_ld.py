"""A public job posting in a real browser: its JSON-LD block is read as data under the site's CSP (script-src
'self', no nonce): Chromium reports no CSP violation for it, and the block parses as a schema.org JobPosting."""

import json

LISTEN = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));"""


def test_the_json_ld_block_is_data_the_csp_lets_through(open_page, ids):
    page = open_page(None)
    page.add_init_script(LISTEN)  # runs before the page's own markup is parsed
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(f"/c/{ids['community']}/jobs/{ids['job_posting']}/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    raw = page.evaluate("() => document.querySelector('script[type=\"application/ld+json\"]').textContent")
    data = json.loads(raw)
    assert data["@type"] == "JobPosting" and data["title"] and data["hiringOrganization"]["name"]
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__cspViolations") == []
    assert not [m for m in messages if "Content Security Policy" in m], messages
