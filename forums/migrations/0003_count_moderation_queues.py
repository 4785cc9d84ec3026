"""Store how many posts wait in each community's moderation queue (open flags or held), for its tab."""

from django.db import migrations
from django.db.models import Q


def count_queues(apps, schema_editor):
    Community = apps.get_model("communities", "Community")
    Flag = apps.get_model("communities", "Flag")
    Post = apps.get_model("forums", "Post")
    ContentType = apps.get_model("contenttypes", "ContentType")
    post_type = ContentType.objects.filter(app_label="forums", model="post").first()
    for community in Community.objects.all():
        flagged = Flag.objects.filter(community=community, status="open", target_type=post_type).values("target_id")
        waiting = Post.objects.filter(thread__community=community).filter(Q(pk__in=flagged) | Q(status="held")).count()
        if waiting:
            Community.objects.filter(pk=community.pk).update(waiting={**community.waiting, "moderation": waiting})


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("communities", "0008_community_waiting"),
        ("forums", "0002_post_published_at"),
    ]

    operations = [migrations.RunPython(count_queues, migrations.RunPython.noop)]
