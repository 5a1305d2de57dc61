"""支給決定: one year at most (as 民法 143 counts it) and no overlap, held by the database itself;
every stored eligibility window recomputed with the legal period rule (no month-end clamp)."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE cases_benefitdecision ADD CONSTRAINT decision_at_most_one_year CHECK (
        ends_on <= CASE
            WHEN extract(day FROM starts_on + interval '1 year') = extract(day FROM starts_on)
            THEN (starts_on + interval '1 year' - interval '1 day')::date
            ELSE (date_trunc('month', starts_on + interval '1 year') + interval '1 month' - interval '1 day')::date
        END)""",
    """ALTER TABLE cases_benefitdecision ADD CONSTRAINT decision_no_overlap
        EXCLUDE USING gist (client_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)""",
]
PG_BACKWARD = [
    "ALTER TABLE cases_benefitdecision DROP CONSTRAINT IF EXISTS decision_no_overlap",
    "ALTER TABLE cases_benefitdecision DROP CONSTRAINT IF EXISTS decision_at_most_one_year",
]

SQLITE_MAX_END = """CASE
    WHEN strftime('%d', date(NEW.starts_on, '+1 year')) = strftime('%d', NEW.starts_on)
    THEN date(NEW.starts_on, '+1 year', '-1 day')
    ELSE date(NEW.starts_on, 'start of month', '+13 months', '-1 day')
END"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER decision_rules_insert BEFORE INSERT ON cases_benefitdecision
    BEGIN
        SELECT RAISE(ABORT, 'decision_at_most_one_year') WHERE NEW.ends_on > {SQLITE_MAX_END};
        SELECT RAISE(ABORT, 'decision_no_overlap') WHERE EXISTS (
            SELECT 1 FROM cases_benefitdecision d WHERE d.client_id = NEW.client_id
            AND d.starts_on <= NEW.ends_on AND d.ends_on >= NEW.starts_on);
    END""",
    f"""CREATE TRIGGER decision_rules_update BEFORE UPDATE ON cases_benefitdecision
    BEGIN
        SELECT RAISE(ABORT, 'decision_at_most_one_year') WHERE NEW.ends_on > {SQLITE_MAX_END};
        SELECT RAISE(ABORT, 'decision_no_overlap') WHERE EXISTS (
            SELECT 1 FROM cases_benefitdecision d WHERE d.client_id = NEW.client_id AND d.id <> NEW.id
            AND d.starts_on <= NEW.ends_on AND d.ends_on >= NEW.starts_on);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS decision_rules_insert",
    "DROP TRIGGER IF EXISTS decision_rules_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def recompute_windows(apps, schema_editor):
    from cases.rules import Job, eligibility_window

    Client = apps.get_model("cases", "Client")
    Employment = apps.get_model("cases", "Employment")
    jobs_by_client = {}
    for client_id, hired_on, left_on, kind in Employment.objects.values_list(
        "client_id", "hired_on", "left_on", "workplace_kind"
    ).iterator():
        jobs_by_client.setdefault(client_id, []).append(Job(hired_on, left_on, kind == "regular"))
    for client in Client.objects.only(
        "pk", "prior_service_ended_on", "window_starts_on", "window_ends_on", "window_end_reason"
    ).iterator():
        window = eligibility_window(jobs_by_client.get(client.pk, []), client.prior_service_ended_on)
        fresh = (
            window.starts_on if window else None,
            window.ends_on if window else None,
            (window.end_reason or "") if window else "",
        )
        if fresh != (client.window_starts_on, client.window_ends_on, client.window_end_reason):
            Client.objects.filter(pk=client.pk).update(
                window_starts_on=fresh[0], window_ends_on=fresh[1], window_end_reason=fresh[2]
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_workplace_kind_prior_service_decision_rules")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(recompute_windows, migrations.RunPython.noop),
    ]
