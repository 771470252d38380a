"""No page, htmx fragment or letter of flag review and discipline cases shows another scope's
data: each URL x each role outside DISDIK's scope either refuses (403/404) or answers without a
trace of DISDIK's flagged employee (name, NIP) or its case."""

import pytest

from hadir.cases import services
from hadir.cases.access import viewer_for
from hadir.cases.models import Letter
from hadir.domain.discipline_cases import add_working_days
from hadir.fraud.models import FlagReview
from hadir.org.models import RoleKind
from tests.cases.conftest import open_case_for
from tests.factories import make_employee, make_user

pytestmark = pytest.mark.django_db

URLS = [
    "/pantau/flag/",
    "/pantau/flag/?status=all",
    "/pantau/flag/?status=confirmed&q=Bud",
    ("/pantau/flag/?status=all", {"HTTP_HX_REQUEST": "true"}),
    "/pantau/flag/{flag}/",
    "/pantau/flag/saya/",
    "/pantau/kasus/",
    "/pantau/kasus/?status=all",
    "/pantau/kasus/?status=overdue",
    "/pantau/kasus/terlambat/",
    ("/pantau/kasus/?status=all&q=Bud", {"HTTP_HX_REQUEST": "true"}),
    "/pantau/kasus/buka/",
    "/pantau/kasus/buka/?flag={review}",
    "/pantau/kasus/buka/?employee={employee}",
    "/pantau/kasus/{case}/",
    "/pantau/kasus/surat/{letter}.pdf",
    "/pantau/kasus/pegawai/{employee}/",
]
OUTSIDERS = ["kepala_dinkes", "admin_dinkes", "atasan_dinkes", "tono", "sari"]


@pytest.fixture
def matrix(world, flag):
    make_user("admin_dinkes", role=RoleKind.OPD_ADMIN, opd=world.other_opd)
    atasan = make_user("atasan_dinkes", role=RoleKind.SUPERVISOR, staff=False)
    boss = make_employee(
        world.other_opd, [world.other_office], identifier="197501012000031014", name="Bu Atasan"
    )
    boss.user = atasan
    boss.save()
    world.outsider.supervisor = boss
    world.outsider.user = make_user("tono", staff=False)
    world.outsider.save()
    head = viewer_for(world.head_user)
    from hadir.cases.flag_services import decide_flag

    review = decide_flag(head, world.head_user, flag, "confirmed", "Presensi titipan")
    case = open_case_for(world, flag_review=review, ground="flag")
    today = services.today()
    services.summon(
        head,
        case,
        examination_on=add_working_days(today, 8, services.off_days(today)),
        examination_time="09.00",
        examination_place="Aula",
    )
    return {
        "flag": flag.pk,
        "review": FlagReview.objects.get().pk,
        "case": case.pk,
        "letter": Letter.objects.get().pk,
        "employee": world.employee.pk,
    }


def _url_params():
    for item in URLS:
        url, headers = item if isinstance(item, tuple) else (item, {})
        for user in OUTSIDERS:
            yield pytest.param(url, headers, user, id=f"{user}-{url}-{'hx' if headers else ''}")


@pytest.mark.parametrize(("url", "headers", "user"), list(_url_params()))
def test_nothing_of_another_scope_is_shown(world, matrix, login, url, headers, user):
    client = login(user)
    response = client.get(url.format(**matrix), **headers)
    if response.status_code in (403, 404):
        return
    assert response.status_code == 200, response.status_code
    body = response.content
    for secret in (world.employee.name, world.employee.identifier, "Presensi titipan"):
        assert secret.encode() not in body, secret
    assert not response["Content-Type"].startswith("application/pdf")


@pytest.mark.parametrize("user", ["kepala_disdik", "bkpsdm", "inspektur", "admin_disdik"])
@pytest.mark.parametrize(
    "url",
    [
        "/pantau/flag/?status=all",
        "/pantau/flag/{flag}/",
        "/pantau/kasus/?status=all",
        "/pantau/kasus/{case}/",
        "/pantau/kasus/surat/{letter}.pdf",
        "/pantau/kasus/pegawai/{employee}/",
    ],
)
def test_the_scope_that_may_see_it_does(world, matrix, login, url, user):
    response = login(user).get(url.format(**matrix))
    assert response.status_code == 200
    if not url.endswith(".pdf"):
        assert world.employee.identifier.encode() in response.content
