"""A top-level reply no longer points at itself as its root (that took an INSERT and then an UPDATE of the same
row): its branch is its own, so `root` stays empty; deeper replies keep pointing at their top-level reply."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def clear_self_roots(apps, schema_editor):
    Post = apps.get_model("forums", "Post")
    Post.objects.filter(root_id=F("pk")).update(root=None)


def restore_self_roots(apps, schema_editor):
    Post = apps.get_model("forums", "Post")
    Post.objects.filter(depth=1, root__isnull=True, is_opening=False).update(root=F("pk"))


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_count_moderation_queues"),
    ]

    operations = [
        migrations.AlterField(
            model_name="post",
            name="root",
            field=models.ForeignKey(
                blank=True,
                help_text="The top-level reply this post's branch hangs from; empty for top-level replies (their "
                "branch is their own) and for the opening post.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="forums.post",
            ),
        ),
        migrations.RunPython(clear_self_roots, restore_self_roots),
    ]
