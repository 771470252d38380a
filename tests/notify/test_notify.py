"""The outbox: notifications stored as catalogue messages, read in the recipient's language,
delivered through the configured senders with retries, read and marked read by their owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from hadir.notify import selectors
from hadir.notify.messages import message_value, render
from hadir.notify.models import Notification
from hadir.notify.senders import LogSender, NullSender, configured_senders
from hadir.notify.services import MAX_ATTEMPTS, deliver_pending, mark_read, notify, notify_many
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
DEVICES = gettext_noop(
    "Devices waiting for your approval for more than %(hours)d hours: %(count)d."
)


@pytest.fixture
def ani(db):
    return make_user("ani", staff=False)


@pytest.fixture
def budi(db):
    return make_user("budi", staff=False)


class Recording:
    name = "recording"

    def __init__(self, fail_times: int = 0):
        self.sent: list = []
        self.fail_times = fail_times

    def send(self, notification, rendered):
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("push service down")
        self.sent.append((notification.pk, rendered))
        return True


def test_a_notification_is_stored_as_a_message_and_read_in_indonesian(ani):
    note = notify(ani, DEVICES, {"hours": 4, "count": 2}, link="/admin/", topic="devices.pending")
    note.refresh_from_db()
    assert note.message == DEVICES
    assert note.values == {"hours": 4, "count": 2}
    rendered = render(note)
    assert rendered.language == "id"
    assert rendered.title == "Hadir"
    assert rendered.body == "Perangkat yang menunggu persetujuan Anda lebih dari 4 jam: 2."
    assert rendered.link == "/admin/"
    assert render(note, "en").body == (
        "Devices waiting for your approval for more than 4 hours: 2."
    )


def test_a_reader_who_chose_english_reads_english(ani):
    ani.preferred_language = "en"  # the hook for a user's choice, once accounts offer one
    note = notify(ani, DEVICES, {"hours": 4, "count": 2})
    note.recipient = ani
    assert render(note).body.startswith("Devices waiting")
    ani.preferred_language = "xx"
    assert render(note).language == "id"


def test_a_value_can_be_a_message_itself_translated_for_the_reader(ani):
    from hadir.jobs.models import Job

    note = notify(
        ani,
        gettext_noop('The background job "%(job)s" works again.'),
        {"job": message_value(Job._meta.verbose_name)},
    )
    assert note.values == {"job": {"msgid": "background job"}}
    assert render(note).body == 'Tugas latar "tugas latar" berjalan normal kembali.'
    assert render(note, "en").body == 'The background job "background job" works again.'


def test_a_message_its_values_do_not_fill_is_refused_at_the_call(ani):
    with pytest.raises(ValueError, match="do not fill"):
        notify(ani, DEVICES, {"hours": 4})
    assert Notification.objects.count() == 0


def test_the_same_message_goes_once_to_each_active_user(ani, budi):
    gone = make_user("gone", staff=False)
    gone.is_active = False
    gone.save()
    rows = notify_many([ani, budi, ani, gone], DEVICES, {"hours": 4, "count": 1})
    assert sorted(n.recipient.username for n in rows) == ["ani", "budi"]
    assert notify(gone, DEVICES, {"hours": 4, "count": 1}) is None


def test_my_unread_notifications_newest_first_and_only_mine(ani, budi):
    first = notify(ani, DEVICES, {"hours": 4, "count": 1}, now=NOW)
    second = notify(ani, DEVICES, {"hours": 4, "count": 2}, now=NOW + timedelta(minutes=1))
    notify(budi, DEVICES, {"hours": 4, "count": 9}, now=NOW)
    assert list(selectors.unread_for(ani)) == [second, first]
    assert selectors.unread_count(ani) == 2
    with translation.override("id"):
        texts = [r.body for _n, r in selectors.rendered(selectors.unread_for(ani))]
    assert texts[0].endswith("4 jam: 2.")

    assert mark_read(budi, [first.pk]) == 0  # not budi's
    assert mark_read(ani, [first.pk], now=NOW) == 1
    assert list(selectors.unread_for(ani)) == [second]
    assert list(selectors.recent_for(ani)) == [second, first]
    assert mark_read(ani) == 1
    assert selectors.unread_count(ani) == 0
    assert selectors.unread_count(budi) == 1


def test_delivery_hands_each_pending_notification_to_every_sender(ani, budi):
    a = notify(ani, DEVICES, {"hours": 4, "count": 1}, now=NOW)
    b = notify(budi, DEVICES, {"hours": 4, "count": 2}, now=NOW)
    sender = Recording()
    result = deliver_pending(NOW, senders=[sender, NullSender()])
    assert (result.sent, result.retrying, result.given_up) == (2, 0, 0)
    assert [pk for pk, _r in sender.sent] == [a.pk, b.pk]
    assert sender.sent[0][1].body.endswith("4 jam: 1.")  # the recipient's language
    a.refresh_from_db()
    assert a.sent_at == NOW
    assert a.delivered_via == ["recording", "null"]
    assert a.read_at is None  # sent is not read
    assert deliver_pending(NOW + timedelta(minutes=1), senders=[sender]).sent == 0


def test_a_failing_sender_is_retried_later_and_alone(ani):
    note = notify(ani, DEVICES, {"hours": 4, "count": 1}, now=NOW)
    flaky, steady = Recording(fail_times=2), Recording()
    steady.name = "steady"
    result = deliver_pending(NOW, senders=[flaky, steady])
    assert (result.sent, result.retrying) == (0, 1)
    note.refresh_from_db()
    assert note.sent_at is None
    assert note.attempts == 1
    assert note.delivered_via == ["steady"]
    assert "recording: RuntimeError: push service down" in note.last_error
    assert note.next_attempt_at == NOW + timedelta(seconds=30)

    assert deliver_pending(NOW + timedelta(seconds=29), senders=[flaky, steady]).sent == 0
    later = NOW + timedelta(seconds=30)
    assert deliver_pending(later, senders=[flaky, steady]).retrying == 1
    note.refresh_from_db()
    assert note.next_attempt_at == later + timedelta(seconds=60)
    done = deliver_pending(note.next_attempt_at, senders=[flaky, steady])
    assert done.sent == 1
    assert len(steady.sent) == 1  # the sender that succeeded at first is not asked again
    assert len(flaky.sent) == 1
    note.refresh_from_db()
    assert (note.attempts, note.last_error) == (3, "")


def test_delivery_gives_up_after_its_attempts_and_says_so(ani):
    note = notify(ani, DEVICES, {"hours": 4, "count": 1}, now=NOW)
    broken = Recording(fail_times=100)
    moment = NOW
    for _ in range(MAX_ATTEMPTS):
        deliver_pending(moment, senders=[broken])
        note.refresh_from_db()
        moment = note.next_attempt_at or moment
    assert note.failed_at is not None
    assert note.attempts == MAX_ATTEMPTS
    assert deliver_pending(moment + timedelta(days=1), senders=[broken]).retrying == 0
    assert selectors.unread_count(ani) == 1  # still readable in the app


def test_senders_come_from_settings_with_the_log_sender_by_default(settings, ani, caplog):
    assert [type(s) for s in configured_senders()] == [LogSender]
    settings.NOTIFY_SENDERS = ["hadir.notify.senders.NullSender"]
    assert [type(s) for s in configured_senders()] == [NullSender]
    settings.NOTIFY_SENDERS = ["hadir.notify.senders.LogSender"]
    notify(ani, DEVICES, {"hours": 4, "count": 3}, now=NOW)
    with caplog.at_level("INFO", logger="hadir.notify"):
        assert deliver_pending(NOW).sent == 1
    assert "Perangkat yang menunggu persetujuan Anda lebih dari 4 jam: 3." in caplog.text
