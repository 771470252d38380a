"""A presence challenge, once committed, is a notification for the employee (hadir.notify);
its Web Push sender wakes the phone."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from hadir.checkin.models import PresenceChallenge


@receiver(post_save, sender=PresenceChallenge, dispatch_uid="pwa-notify-challenge")
def notify_new_challenge(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    transaction.on_commit(lambda: _notify(instance.pk))


def _notify(challenge_pk: int) -> None:
    from hadir.pwa.push import notify_challenge

    challenge = (
        PresenceChallenge.objects.select_related("employee__user").filter(pk=challenge_pk).first()
    )
    if challenge is not None:
        notify_challenge(challenge)
