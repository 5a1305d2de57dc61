from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from cases import services
from cases.models import BenefitDecision, Client, Employer, Employment, Membership, Office, Role, User
from cases.rules import max_decision_end


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"テスト事業所{n}")
    provider_number = factory.Sequence(lambda n: f"{1300000000 + n:010d}")
    municipality = "新宿区"
    # 2FA is required by default (tests/audit/test_two_factor.py); other tests sign in without a device
    require_two_factor = False


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "試験"
    first_name = factory.Sequence(lambda n: f"職員{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.STAFF


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    office = factory.SubFactory(OfficeFactory)
    family_name = "山田"
    given_name = factory.Sequence(lambda n: f"太郎{n}")
    family_name_kana = "ヤマダ"
    given_name_kana = "タロウ"
    birth_date = date(1990, 4, 1)
    disability_categories = factory.LazyFunction(lambda: ["mental"])
    recipient_number = factory.Sequence(lambda n: f"{2000000000 + n:010d}")
    municipality = "新宿区"


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"株式会社テスト{n}")


class EmploymentFactory(DjangoModelFactory):
    class Meta:
        model = Employment
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory, office=factory.SelfAttribute("..client.office"))
    hired_on = date(2025, 1, 6)
    left_on = None
    job_title = "事務補助"

    @factory.post_generation
    def refresh_window(obj, create, extracted, **kwargs):
        if create:
            services.client_refresh_window(obj.client)


class BenefitDecisionFactory(DjangoModelFactory):
    class Meta:
        model = BenefitDecision

    client = factory.SubFactory(ClientFactory)
    starts_on = date(2025, 7, 6)
    ends_on = factory.LazyAttribute(lambda o: max_decision_end(o.starts_on))
    municipality = "新宿区"


def client_in_service(*, office=None, hired_on=date(2025, 1, 6), **kwargs) -> Client:
    """A client with one open job and a decision covering the first year of the window."""
    client = ClientFactory(office=office or OfficeFactory(), **kwargs)
    EmploymentFactory(client=client, hired_on=hired_on)
    client.refresh_from_db()
    BenefitDecisionFactory(client=client, starts_on=client.window_starts_on)
    return client


# --- plans ---
from plans.models import (  # noqa: E402
    Consent,
    ConsentPurpose,
    Handover,
    PlanReview,
    PlanStatus,
    ReceiverKind,
    ReviewDecision,
    SupportPlan,
)


class SupportPlanFactory(DjangoModelFactory):
    class Meta:
        model = SupportPlan

    client = factory.SubFactory(ClientFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = PlanStatus.DRAFT
    starts_on = date(2025, 7, 6)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=180))
    long_term_goal = "安定して働き続ける"
    short_term_goals = "毎朝決まった時間に起きる\n体調の波を記録する"
    support_content = "月1回の面談と職場訪問"
    interview_frequency = "月1回"
    drafted_by = factory.SubFactory(UserFactory)


def agreed_plan(*, client, manager, starts_on=date(2025, 7, 6), **kwargs) -> SupportPlan:
    """A plan in effect: approved by `manager`, agreed and delivered on its start date (a plan takes
    effect only once the client has agreed and received a copy)."""
    fields = {
        "status": PlanStatus.DELIVERED,
        "approved_by": manager,
        "approved_on": starts_on,
        "agreed_on": starts_on,
        "delivered_on": starts_on,
        "drafted_by": manager,
        **kwargs,
    }
    if fields["status"] == PlanStatus.AGREED and "delivered_on" not in kwargs:
        fields["delivered_on"] = None
    return SupportPlanFactory(client=client, starts_on=starts_on, **fields)


class PlanReviewFactory(DjangoModelFactory):
    class Meta:
        model = PlanReview

    plan = factory.SubFactory(SupportPlanFactory)
    reviewed_on = date(2025, 10, 1)
    reviewer = factory.SubFactory(UserFactory)
    findings = "短期目標はおおむね達成"
    decision = ReviewDecision.KEEP


class HandoverFactory(DjangoModelFactory):
    class Meta:
        model = Handover

    client = factory.SubFactory(ClientFactory)
    receiver_name = "新宿区障害者就業・生活支援センター"
    receiver_kind = ReceiverKind.NAKAPOTSU
    recorded_by = factory.SubFactory(UserFactory)


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    purpose = ConsentPurpose.HANDOVER
    given_on = date(2025, 7, 1)
    recorded_by = factory.SubFactory(UserFactory)
# --- flags ---
class FlagFactory(DjangoModelFactory):
    class Meta:
        model = "flags.Flag"

    client = factory.SubFactory(ClientFactory)
    office = factory.SelfAttribute("client.office")
    kind = "no_contact_yet"
    period = date(2025, 9, 1)
    severity = "warning"
    message = "2025年9月の対面支援がまだありません。"


# --- visits ---
from visits.models import ContactLog, MonthLock, SupportReport  # noqa: E402


class ContactLogFactory(DjangoModelFactory):
    class Meta:
        model = ContactLog

    client = factory.SubFactory(ClientFactory)
    staff = factory.SubFactory(UserFactory)
    on = date(2025, 9, 3)
    kind = "interview"
    face_to_face = factory.LazyAttribute(lambda o: o.kind in {"interview", "workplace_visit"})
    narrative = "面談を実施。"
    employer_met = factory.LazyAttribute(lambda o: o.kind == "employer_visit")


class SupportReportFactory(DjangoModelFactory):
    class Meta:
        model = SupportReport

    client = factory.SubFactory(ClientFactory)
    month = date(2025, 9, 1)
    created_by = factory.SubFactory(UserFactory)
    support_given = "月の面談で体調と業務量を確認した。"
    shared_with_client_on = None


class MonthLockFactory(DjangoModelFactory):
    class Meta:
        model = MonthLock

    office = factory.SubFactory(OfficeFactory)
    month = date(2025, 9, 1)
    locked_by = factory.SubFactory(UserFactory)


# --- meetings ---
from meetings.models import Attendee, FollowUp, Meeting, Organisation, OrganisationKind  # noqa: E402


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"ハローワーク{n}")
    kind = OrganisationKind.HELLO_WORK


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    client = factory.SubFactory(ClientFactory)
    held_on = date(2025, 9, 10)
    presenter_role = "manager"
    recorded_by = factory.SubFactory(UserFactory)


class AttendeeFactory(DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"出席者{n}")
    organisation = factory.SubFactory(OrganisationFactory, office=factory.SelfAttribute("..meeting.client.office"))


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    client = factory.SubFactory(ClientFactory)
    year_end = date(2026, 3, 31)
    still_employed = "yes"
    learned_by = "phone"
    learned_on = date(2026, 4, 10)
    recorded_by = factory.SubFactory(UserFactory)


# --- office ---
class ClientImportFactory(DjangoModelFactory):
    class Meta:
        model = "office.ClientImport"

    office = factory.SubFactory(OfficeFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    filename = "clients.csv"
    content = factory.LazyFunction(lambda: "受給者証番号,姓,名,セイ,メイ,生年月日,支給決定市町村\n".encode())
    sha256 = "0" * 64
    status = "invalid"


def verify_otp(client, user):
    """Mark the test client's session as verified by a second factor (the Django admin asks for one)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
