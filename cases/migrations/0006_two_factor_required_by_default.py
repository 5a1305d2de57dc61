"""Two-factor authentication required by default for managers and admins: the default of a new office,
and every existing office switched on (an office may switch it off again on purpose)."""

from django.db import migrations, models


def require_everywhere(apps, schema_editor):
    apps.get_model("cases", "Office").objects.filter(require_two_factor=False).update(require_two_factor=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_office_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='office',
            name='require_two_factor',
            field=models.BooleanField(default=True, verbose_name='管理者・サビ管に2段階認証を必須にする'),
        ),
        migrations.RunPython(require_everywhere, migrations.RunPython.noop),
    ]
