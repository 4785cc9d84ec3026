from django.db import migrations
from django.db.models import F


def mark_dispatched(apps, schema_editor):
    # Events from before the outbox existed were never meant to send alerts: without this, the first sweeps
    # after deploying would email members about the community's whole history.
    ActivityEvent = apps.get_model("communities", "ActivityEvent")
    ActivityEvent.objects.filter(dispatched_at__isnull=True).update(dispatched_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("communities", "0006_communityvisit_activityevent_dispatched_at_and_more")]

    operations = [migrations.RunPython(mark_dispatched, migrations.RunPython.noop)]
