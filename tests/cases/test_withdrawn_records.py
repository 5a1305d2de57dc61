"""A 支給決定 or a 支援レポート entered by mistake is withdrawn with a reason: kept, shown as withdrawn,
left out of the deadlines, and a corrected record can take its place (domain.md: "Record keeping")."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import BenefitDecision
from cases.services import benefit_decision_save, benefit_decision_withdraw
from plans.deadlines import DeadlineKind
from plans.selectors import deadline_facts, office_deadlines
from visits.models import SupportReport
from visits.services import support_report_draft, support_report_withdraw

from ..factories import SupportReportFactory, client_in_service

pytestmark = pytest.mark.django_db
TODAY = date(2025, 9, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_decision_withdraw_page_needs_a_reason_then_keeps_the_record(as_manager, office, manager):
    client = client_in_service(office=office)
    decision = client.decisions.get()
    url = reverse("cases:decision_withdraw", args=[client.pk, decision.pk])
    assert "支給決定の取消" in as_manager.get(url).content.decode()
    response = as_manager.post(url, {"reason": " "})
    assert response.status_code == 200
    assert (
        "このフィールドは必須です" in response.content.decode()
        or "入力してください" in response.content.decode()
    )
    decision.refresh_from_db()
    assert not decision.withdrawn
    response = as_manager.post(url, {"reason": "別の利用者の決定を登録した"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.withdrawn and decision.withdrawn_by == manager
    assert decision.history.first().history_change_reason == "別の利用者の決定を登録した"
    html = as_manager.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert 'data-testid="decision-withdrawn"' in html and "別の利用者の決定を登録した" in html
    assert reverse("cases:decision_withdraw", args=[client.pk, decision.pk]) not in html


def test_staff_may_not_withdraw_a_decision(as_staff, office, staff):
    client = client_in_service(office=office)
    decision = client.decisions.get()
    url = reverse("cases:decision_withdraw", args=[client.pk, decision.pk])
    assert as_staff.post(url, {"reason": "誤り"}).status_code == 403
    with pytest.raises(PermissionDenied):
        benefit_decision_withdraw(actor=staff, decision=decision, reason="誤り")
    assert not BenefitDecision.objects.get().withdrawn


def test_a_withdrawn_decision_is_not_changed_and_leaves_room_for_the_corrected_one(office, manager):
    client = client_in_service(office=office)
    wrong = client.decisions.get()
    benefit_decision_withdraw(actor=manager, decision=wrong, reason="期間の誤り")
    with pytest.raises(ValidationError, match="取り消された支給決定は変更できません"):
        benefit_decision_save(actor=manager, client=client, decision=wrong, municipality="新宿区")
    with pytest.raises(ValidationError, match="既に取り消されています"):
        benefit_decision_withdraw(actor=manager, decision=wrong, reason="もう一度")
    # The same period again: the withdrawn one neither overlaps it in the rule nor in the database.
    corrected = benefit_decision_save(
        actor=manager, client=client, starts_on=wrong.starts_on, ends_on=wrong.ends_on, municipality="新宿区"
    )
    assert list(client.decisions.filter(withdrawn_at__isnull=True)) == [corrected]


def test_the_deadlines_leave_a_withdrawn_decision_out(office, manager):
    client = client_in_service(office=office)  # window from 2025-07-06, one decision covering it
    [(_, facts)] = deadline_facts(office.pk, TODAY)
    assert len(facts.decisions) == 1
    assert DeadlineKind.APPLICATION_PREPARATION not in {
        d.kind for _c, d in office_deadlines(office.pk, TODAY)
    }
    benefit_decision_withdraw(actor=manager, decision=client.decisions.get(), reason="誤登録")
    [(_, facts)] = deadline_facts(office.pk, TODAY)
    assert facts.decisions == ()
    # No decision stands: the client is again one whose 受給者証 is to be applied for.
    assert DeadlineKind.APPLICATION_PREPARATION in {d.kind for _c, d in office_deadlines(office.pk, TODAY)}


def test_report_withdraw_page_then_a_new_report_of_the_month(as_manager, office, manager, staff):
    client = client_in_service(office=office)
    report = SupportReportFactory(
        client=client, month=date(2025, 8, 1), created_by=staff, shared_with_client_on=date(2025, 8, 30)
    )
    detail = reverse("visits:report_detail", args=[client.pk, 2025, 8])
    url = reverse("visits:report_withdraw", args=[client.pk, 2025, 8])
    assert url in as_manager.get(detail).content.decode()
    assert as_manager.post(url, {"reason": ""}).status_code == 200
    assert as_manager.post(url, {"reason": "別の利用者のレポート"}).status_code == 302
    report.refresh_from_db()
    assert report.withdrawn and report.history.first().history_change_reason == "別の利用者のレポート"
    html = as_manager.get(detail).content.decode()
    assert 'data-testid="report-withdrawn"' in html and "この月の支援レポートはまだありません" in html
    # Editing or sharing the withdrawn report is gone; a fresh draft is a new record.
    assert as_manager.get(reverse("visits:report_edit", args=[client.pk, 2025, 8])).status_code == 404
    fresh = support_report_draft(actor=staff, client=client, month=date(2025, 8, 1))
    assert fresh.pk != report.pk and not fresh.withdrawn
    assert SupportReport.objects.filter(client=client, month=date(2025, 8, 1)).count() == 2


def test_staff_may_not_withdraw_a_report(as_staff, office, staff):
    client = client_in_service(office=office)
    report = SupportReportFactory(client=client, month=date(2025, 8, 1), created_by=staff)
    assert as_staff.get(reverse("visits:report_withdraw", args=[client.pk, 2025, 8])).status_code == 403
    with pytest.raises(PermissionDenied):
        support_report_withdraw(actor=staff, report=report, reason="誤り")


def test_a_handover_entered_by_mistake_is_withdrawn_then_recorded_again(as_manager, office, manager, staff):
    from cases.models import ClientStatus
    from plans import services as plan_services
    from plans.models import Handover

    client = client_in_service(office=office)
    handover = plan_services.case_handover(
        actor=staff,
        client=client,
        receiver_name="別の利用者の引継ぎ先",
        receiver_kind="nakapotsu",
        consent_on=date(2025, 9, 1),
        info_shared_on=date(2025, 9, 2),
        handed_over_on=date(2025, 9, 10),
    )
    client.refresh_from_db()
    assert client.status == ClientStatus.HANDED_OVER
    with pytest.raises(PermissionDenied):
        plan_services.handover_withdraw(actor=staff, handover=handover, reason="誤登録")
    url = reverse("plans:handover_withdraw", args=[handover.pk])
    as_manager.post(url, {"reason": ""})
    assert not Handover.objects.get().withdrawn
    assert as_manager.post(url, {"reason": "別の利用者の記録"}).status_code == 302
    handover.refresh_from_db()
    client.refresh_from_db()
    assert handover.withdrawn and handover.history.first().history_change_reason == "別の利用者の記録"
    assert client.status == ClientStatus.ACTIVE  # in service again
    [(_, facts)] = deadline_facts(office.pk, TODAY)
    assert facts.info_shared_on is None and not facts.handed_over
    page = as_manager.get(reverse("plans:handover_edit", args=[client.pk])).content.decode()
    assert 'data-testid="handover-withdrawn"' in page and "別の利用者の記録" in page
    assert "別の利用者の引継ぎ先" not in page.split('data-testid="handover-withdrawn"')[1].split("</s>")[1]
    detail = as_manager.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert 'data-testid="handover-withdrawn"' in detail
    # Recorded again: the same row, fresh values; the withdrawn entry stays in its history.
    again = plan_services.case_handover(
        actor=staff, client=client, receiver_name="正しい引継ぎ先", receiver_kind="hataraki"
    )
    assert again.pk == handover.pk and not again.withdrawn
    assert (again.receiver_name, again.info_shared_on, again.handed_over_on) == ("正しい引継ぎ先", None, None)
    assert again.history.filter(withdrawal_reason="別の利用者の記録").exists()


def test_a_consent_recorded_by_mistake_is_withdrawn_and_never_counted(as_manager, office, manager):
    from plans import services as plan_services
    from plans.models import ConsentPurpose
    from plans.selectors import consent_stands
    from visits.selectors import employer_sharing_allowed

    from ..factories import ConsentFactory, EmploymentFactory

    client = client_in_service(office=office)
    EmploymentFactory(client=client, hired_on=date(2025, 1, 6), disclosed=True)
    consent = ConsentFactory(client=client, purpose=ConsentPurpose.REPORT_TO_EMPLOYER, given_on=date(2025, 8, 1))
    assert consent_stands(client, ConsentPurpose.REPORT_TO_EMPLOYER, TODAY)
    assert employer_sharing_allowed(client, TODAY)
    url = reverse("plans:consent_withdraw_entry", args=[consent.pk])
    assert as_manager.post(url, {"reason": ""}).status_code == 200
    assert as_manager.post(url, {"reason": "別の利用者の同意書"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn and consent.withdrawn_on is None  # not the client's 撤回: it never stood
    assert consent.history.first().history_change_reason == "別の利用者の同意書"
    assert not consent_stands(client, ConsentPurpose.REPORT_TO_EMPLOYER, date(2025, 8, 15))
    assert not employer_sharing_allowed(client, TODAY)
    html = as_manager.get(reverse("plans:consent_list", args=[client.pk])).content.decode()
    assert 'data-testid="consent-withdrawn"' in html and "別の利用者の同意書" in html
    with pytest.raises(ValidationError):
        plan_services.consent_withdraw(actor=manager, consent=consent, withdrawn_on=TODAY, reason="撤回")
