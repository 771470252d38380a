"""A presence challenge, once committed, wakes the employee's phone through Web Push."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from hadir.checkin.models import PresenceChallenge


@receiver(post_save, sender=PresenceChallenge, dispatch_uid="pwa-push-challenge")
def push_new_challenge(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from hadir.pwa.push import push_challenge

    transaction.on_commit(lambda: push_challenge(instance.pk))
