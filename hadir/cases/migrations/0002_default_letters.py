"""The letters' default texts and the letterhead, as rows administrators then edit."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from hadir.cases.letter_texts import DEFAULTS

    LetterTemplate = apps.get_model("cases", "LetterTemplate")
    Letterhead = apps.get_model("cases", "Letterhead")
    for kind, text in DEFAULTS.items():
        LetterTemplate.objects.get_or_create(
            kind=str(kind), defaults={"title": text.title, "body": text.body, "signer": text.signer}
        )
    if not Letterhead.objects.exists():
        Letterhead.objects.create()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
