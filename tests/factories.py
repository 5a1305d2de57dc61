from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from cases import services
from cases.models import BenefitDecision, Client, Employer, Employment, Membership, Office, Role, User


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"テスト事業所{n}")
    provider_number = factory.Sequence(lambda n: f"{1300000000 + n:010d}")
    municipality = "新宿区"


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
    ends_on = factory.LazyAttribute(
        lambda o: o.starts_on.replace(year=o.starts_on.year + 1) - timedelta(days=1)
    )
    municipality = "新宿区"


def client_in_service(*, office=None, hired_on=date(2025, 1, 6), **kwargs) -> Client:
    """A client with one open job and a decision covering the first year of the window."""
    client = ClientFactory(office=office or OfficeFactory(), **kwargs)
    EmploymentFactory(client=client, hired_on=hired_on)
    client.refresh_from_db()
    BenefitDecisionFactory(client=client, starts_on=client.window_starts_on)
    return client


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


class SupportReportFactory(DjangoModelFactory):
    class Meta:
        model = SupportReport

    client = factory.SubFactory(ClientFactory)
    month = date(2025, 9, 1)
    created_by = factory.SubFactory(UserFactory)
    shared_with_client_on = None


class MonthLockFactory(DjangoModelFactory):
    class Meta:
        model = MonthLock

    office = factory.SubFactory(OfficeFactory)
    month = date(2025, 9, 1)
    locked_by = factory.SubFactory(UserFactory)
