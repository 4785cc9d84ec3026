"""Run by the browser suite in the live site's environment: prints, as JSON, the demo objects its pages need.

This runs in its own process (not in the test process), so the tests stay free of ORM calls.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_platform.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from communities.models import Community, Theme  # noqa: E402
from forums.models import Category, Thread  # noqa: E402
from hotseats.models import HotSeat  # noqa: E402
from jobs.models import Posting  # noqa: E402
from library.models import Resource  # noqa: E402
from newsletters.models import Newsletter  # noqa: E402

ppm = Community.objects.get(slug="ppm-community")
now = timezone.now()
answered = Thread.objects.filter(category__community=ppm, accepted_post__isnull=False).order_by("pk").first()
open_hotseat = HotSeat.objects.filter(community=ppm, opens_at__lte=now, closes_at__gt=now).order_by("pk").first()
closed_hotseat = HotSeat.objects.filter(community=ppm, closes_at__lte=now).order_by("pk").first()
sent = Newsletter.objects.filter(community=ppm, status=Newsletter.Status.SENT).order_by("-period").first()
draft = Newsletter.objects.filter(community=ppm, status=Newsletter.Status.DRAFT).order_by("-period").first()
theme = Theme.objects.filter(community=ppm).order_by("starts_on").first()
category = Category.objects.filter(community=ppm).order_by("position", "pk").first()
library_document = Resource.objects.filter(community=ppm, kind="document").order_by("pk").first()
library_guide = Resource.objects.filter(community=ppm, kind="guide").order_by("pk").first()
job_posting = Posting.objects.live().filter(community=ppm).order_by("pk").first()
print(
    json.dumps(
        {
            "community": ppm.slug,
            "private_community": Community.objects.get(slug="benefits-realisation-network").slug,
            "answered_thread": answered.pk,
            "open_hotseat": open_hotseat.pk,
            "closed_hotseat": closed_hotseat.pk,
            "sent_newsletter": sent.pk,
            "draft_newsletter": draft.pk,
            "theme": theme.slug,
            "category": category.slug,
            "member": User.objects.get(email="member@demo.cop.example").pk,
            "library_document": library_document.pk,
            "library_guide": library_guide.pk,
            "job_posting": job_posting.pk,
        }
    )
)
