"""What a page must pass: axe (no serious or critical violation) and the Nu HTML checker (no error).

axe comes from the `axe-playwright-python` wheel (its bundled axe.min.js, no CDN); the Nu checker is `vnu.jar`
from npm's `vnu-jar`, run with Java over saved copies of the HTML the server sent (not the browser's DOM).
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "var/node/node_modules/vnu-jar/build/dist/vnu.jar"))
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


@dataclass(frozen=True)
class Finding:
    page: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.detail}"


def axe_findings(page, label: str) -> list[Finding]:
    """Serious and critical axe violations on the page as it is now."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    findings = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        findings.append(Finding(label, f"axe {violation['id']} ({violation['impact']})", targets))
    return findings


class HtmlStore:
    """Saved HTML pages, checked together in one Java run at the end (one JVM start instead of one per page)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.labels: dict[str, str] = {}

    def save(self, label: str, html: bytes | str) -> None:
        name = f"{len(self.labels):04d}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')[:80]}.html"
        path = self.folder / name
        path.write_bytes(html if isinstance(html, bytes) else html.encode())
        self.labels[name] = label

    def __len__(self) -> int:
        return len(self.labels)

    def nu_findings(self) -> list[Finding]:
        if not self.labels:
            return []
        java = shutil.which("java")
        assert java, "Java is needed for the Nu HTML checker"
        assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test-browser` (it installs vnu-jar with npm)"
        result = subprocess.run(
            [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(self.folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
        return [
            Finding(
                self.labels.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?")),
                f"Nu {message['type']}",
                f"line {message.get('lastLine', '?')}: {message['message']}",
            )
            for message in messages
            if message["type"] in {"error", "non-document-error"}
        ]


def report(findings: list[Finding], limit: int = 60) -> str:
    lines = [str(finding) for finding in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"... and {len(findings) - limit} more")
    return "\n".join(lines)
