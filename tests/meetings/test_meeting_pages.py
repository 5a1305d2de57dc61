"""Recording meetings on a phone-sized form, the add-on each gets, and the seam claims reads."""

from datetime import date

import pytest
import time_machine

from meetings.models import Attendee, Meeting, Organisation
from meetings.selectors import AddonMeeting, addon_meetings, confirmed_tier
from plans.models import ConsentPurpose

from ..factories import ClientFactory, ConsentFactory, MeetingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


def _post(client_obj, **overrides):
    data = {
        "kind": "regional",
        "held_on": "2026-11-10",
        "place": "ハローワーク新宿",
        "presenter_role": "manager",
        "discussed": "勤務時間の延長について",
        "decided": "12月から1日6時間",
        "attendees-TOTAL_FORMS": "3",
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "0",
        "attendees-MAX_NUM_FORMS": "30",
        "attendees-0-name": "山田 花子",
        "attendees-0-new_organisation_name": "株式会社みどり",
        "attendees-0-new_organisation_kind": "employer",
        "attendees-0-role": "人事担当",
        "attendees-1-name": "佐藤 一郎",
        "attendees-1-new_organisation_name": "ハローワーク新宿",
        "attendees-1-new_organisation_kind": "hello_work",
        "attendees-2-name": "本人",
    }
    data.update(overrides)
    return data


def test_a_manager_records_a_regional_meeting_with_two_outside_organisations(as_manager, office, manager):
    person = ClientFactory(office=office)
    ConsentFactory(client=person, purpose=ConsentPurpose.CASE_MEETING, given_on=date(2026, 4, 1))
    response = as_manager.post(f"/meetings/new/?client={person.pk}", _post(person, presenter=manager.pk))
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get()
    assert meeting.attendees.count() == 3
    assert set(Organisation.objects.filter(office=office).values_list("name", flat=True)) == {
        "株式会社みどり",
        "ハローワーク新宿",
    }
    assert addon_meetings([person.pk], date(2026, 11, 1), date(2026, 11, 30)) == {
        person.pk: [AddonMeeting(date(2026, 11, 10), "I")]
    }
    page = as_manager.get(response["Location"])
    assert "加算(I) 算定" in page.content.decode()
    # the organisations are offered in the next meeting's form
    form = as_manager.get(f"/meetings/new/?client={person.pk}").content.decode()
    assert "株式会社みどり（企業（雇用先））" in form


def test_without_consent_the_meeting_is_recorded_but_not_counted(as_manager, office):
    person = ClientFactory(office=office)
    response = as_manager.post(f"/meetings/new/?client={person.pk}", _post(person), follow=True)
    assert Meeting.objects.count() == 1
    assert "本人同意がありません" in response.content.decode()
    assert addon_meetings([person.pk], date(2026, 11, 1), date(2026, 11, 30)) == {}


def test_a_fifth_meeting_in_a_fiscal_year_is_recorded_and_says_why(as_manager, office):
    person = ClientFactory(office=office)
    ConsentFactory(client=person, purpose=ConsentPurpose.CASE_MEETING, given_on=date(2026, 4, 1))
    for month in (4, 6, 8, 9):
        m = MeetingFactory(client=person, held_on=date(2026, month, 5))
        Attendee.objects.create(meeting=m, name="担当", organisation=OrganisationFactory(office=office))
    response = as_manager.post(f"/meetings/new/?client={person.pk}", _post(person), follow=True)
    text = response.content.decode()
    assert "2026年度は既に4回算定しています" in text
    assert Meeting.objects.filter(client=person).count() == 5
    counted = addon_meetings([person.pk], date(2026, 4, 1), date(2027, 3, 31))[person.pk]
    assert [m.held_on.month for m in counted] == [4, 6, 8, 9]


def test_ii_needs_the_report_date_and_a_future_date_is_refused(as_staff, office, staff):
    person = ClientFactory(office=office)
    response = as_staff.post(
        f"/meetings/new/?client={person.pk}",
        _post(person, presenter_role="staff", presenter=staff.pk, reported_to_manager_on="2026-11-01"),
    )
    assert response.status_code == 200
    assert "開催日以降" in response.content.decode()
    response = as_staff.post(f"/meetings/new/?client={person.pk}", _post(person, held_on="2026-12-01"))
    assert "未来の日付" in response.content.decode()
    response = as_staff.post(
        f"/meetings/new/?client={person.pk}", _post(person, **{"attendees-0-new_organisation_kind": ""})
    )
    assert "種別を選んでください" in response.content.decode()
    assert not Meeting.objects.exists()


def test_another_offices_client_or_organisation_cannot_be_used(as_manager, office, other_office):
    foreign = ClientFactory(office=other_office)
    assert as_manager.get(f"/meetings/new/?client={foreign.pk}").status_code == 404
    person = ClientFactory(office=office)
    foreign_org = OrganisationFactory(office=other_office)
    response = as_manager.post(
        f"/meetings/new/?client={person.pk}", _post(person, **{"attendees-0-organisation": foreign_org.pk})
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_minutes_print_on_a4_and_the_list_shows_the_month(as_staff, office):
    meeting = MeetingFactory(client=ClientFactory(office=office), held_on=date(2026, 11, 3), decided="週1回面談")
    page = as_staff.get(f"/meetings/{meeting.pk}/print/").content.decode()
    assert "地域連携会議 会議録" in page and "週1回面談" in page and "print-sheet" in page
    listing = as_staff.get("/meetings/?month=2026-11").content.decode()
    assert meeting.client.full_name in listing


def test_addon_meetings_has_constant_queries(django_assert_max_num_queries, office):
    def make(n):
        ids = []
        for _ in range(n):
            person = ClientFactory(office=office)
            ConsentFactory(client=person, purpose=ConsentPurpose.CASE_MEETING, given_on=date(2026, 4, 1))
            for month in (4, 5, 6):
                m = MeetingFactory(client=person, held_on=date(2026, month, 5))
                Attendee.objects.create(meeting=m, name="担当", organisation=OrganisationFactory(office=office))
            ids.append(person.pk)
        return ids

    for n in (2, 8):
        ids = make(n)
        with django_assert_max_num_queries(2):
            result = addon_meetings(ids, date(2026, 6, 1), date(2026, 6, 30))
        assert len(result) == n


def test_confirmed_tier_seam(office, manager):
    from meetings.services import tier_confirm

    assert confirmed_tier(office.pk, 2026) is None
    tier_confirm(actor=manager, office=office, fiscal_year=2026, tier="80")
    assert confirmed_tier(office.pk, 2026) == "80"


def test_demo_seed_has_meetings_follow_ups_and_a_fifth_meeting_not_counted():
    from demo.office import seed_demo_office
    from meetings.models import FollowUp
    from meetings.selectors import client_meetings

    office = seed_demo_office(date(2026, 11, 20))
    first = Meeting.objects.filter(client__office=office).order_by("pk").first().client
    verdicts = [v for _m, v in client_meetings(first)]
    assert len(verdicts) == 5 and sum(v.counted for v in verdicts) == 4
    assert FollowUp.objects.filter(client__office=office).exists()


def test_editing_replaces_the_attendees(as_staff, office):
    meeting = MeetingFactory(client=ClientFactory(office=office), held_on=date(2026, 11, 3))
    Attendee.objects.create(meeting=meeting, name="旧", organisation=OrganisationFactory(office=office))
    form = as_staff.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="旧"' in form
    org = OrganisationFactory(office=office, name="東京障害者職業センター", kind="vocational_centre")
    data = _post(meeting.client, held_on="2026-11-03", **{"attendees-0-organisation": org.pk})
    data.pop("attendees-0-new_organisation_name")
    data.pop("attendees-0-new_organisation_kind")
    data.update({"attendees-1-name": "", "attendees-1-new_organisation_name": "", "attendees-2-name": ""})
    assert as_staff.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    assert list(meeting.attendees.values_list("name", "organisation__name")) == [("山田 花子", "東京障害者職業センター")]


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?month=abc",
        "/meetings/?month=2026-13",
        "/meetings/new/?client=abc",
        "/meetings/rates/?year=abc",
        "/meetings/rates/?year=99999",
        "/meetings/rates/export/?year=2026&format=exe",
    ],
)
def test_odd_parameters_do_not_fail(as_manager, url):
    assert as_manager.get(url).status_code == 200
