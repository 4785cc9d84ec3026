"""Alert preferences move from one column per alert type to a map keyed by the registered alert type, so an app
adds its own alert type without a migration. Every existing choice is copied across before the columns go."""

from django.db import migrations, models

OLD_COLUMNS = ("followed", "replies", "mentions", "hotseats", "announcements")


def columns_to_map(apps, schema_editor):
    Subscription = apps.get_model("newsletters", "Subscription")
    for subscription in Subscription.objects.all().iterator(chunk_size=1000):
        subscription.alerts = {column: getattr(subscription, column) for column in OLD_COLUMNS}
        subscription.save(update_fields=["alerts"])


def map_to_columns(apps, schema_editor):
    Subscription = apps.get_model("newsletters", "Subscription")
    for subscription in Subscription.objects.all().iterator(chunk_size=1000):
        for column in OLD_COLUMNS:
            if column in subscription.alerts:
                setattr(subscription, column, subscription.alerts[column])
        subscription.save(update_fields=list(OLD_COLUMNS))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="alerts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Frequency per alert type, keyed by the registered AlertType key; "
                "a missing key means its default.",
            ),
        ),
        migrations.RunPython(columns_to_map, map_to_columns),
        migrations.RemoveField(model_name="subscription", name="announcements"),
        migrations.RemoveField(model_name="subscription", name="followed"),
        migrations.RemoveField(model_name="subscription", name="hotseats"),
        migrations.RemoveField(model_name="subscription", name="mentions"),
        migrations.RemoveField(model_name="subscription", name="replies"),
        migrations.AlterField(
            model_name="alert",
            name="alert_type",
            field=models.CharField(help_text="The key of a registered alert type.", max_length=40),
        ),
    ]
