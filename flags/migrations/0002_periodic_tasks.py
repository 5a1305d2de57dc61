"""Creates (or updates) the flag jobs' beat entries from flags.schedules; safe to run again."""

from django.db import migrations


def create_schedules(apps, schema_editor):
    from flags.schedules import ensure_schedules

    ensure_schedules(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


def remove_schedules(apps, schema_editor):
    from flags.schedules import SCHEDULES

    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[entry["name"] for entry in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
