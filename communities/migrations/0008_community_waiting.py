"""Communities keep how many join requests (and, from the forums' migration, flagged and held posts) wait for
their facilitators, so the community tabs show the figures without a query."""

from django.db import migrations, models
from django.db.models import Count, Q


def count_requests(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    pending = Community.objects.annotate(n=Count("memberships", filter=Q(memberships__status="pending")))
    for community in pending.filter(n__gt=0):
        Community.objects.filter(pk=community.pk).update(waiting={**community.waiting, "requests": community.n})


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0007_existing_events_dispatched"),
    ]

    operations = [
        migrations.AddField(
            model_name="community",
            name="waiting",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="How much waits for the facilitators behind each counted tab (join requests, the "
                "moderation queue), keyed by tab; kept by communities.services.waiting_recount().",
            ),
        ),
        migrations.RunPython(count_requests, migrations.RunPython.noop),
    ]
