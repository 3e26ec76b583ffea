"""The database keeps each offer's application figures (offers.Offer.pending_applications, last_application_on)
with triggers on the applications, whatever writes them (the services, bulk loads, the admin, cascades):

- pending_applications: +1 when an open application (sent, seen, interview, accepted) appears on an offer, -1
  when it leaves it (status change, deletion, move to another offer), as increments, so that concurrent writers
  on one offer add up (each UPDATE of the offer row re-reads its latest version);
- last_application_on: the latest sending date ever received, only ever raised (a deleted application leaves it
  as it was: it is an upper bound, by which the offer search knows that an offer without any application sent
  since a date needs no count).

The open statuses are those of candidates.enums.OPEN_STATUSES at the time of writing; a change of that set needs a
new migration."""

from django.db import migrations

OPEN = "('accepted', 'interview', 'seen', 'sent')"

POSTGRESQL = f"""
CREATE FUNCTION candidates_application_offer_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {OPEN} THEN
        UPDATE offers_offer SET pending_applications = pending_applications - 1 WHERE id = OLD.offer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE offers_offer SET
            pending_applications = pending_applications + (CASE WHEN NEW.status IN {OPEN} THEN 1 ELSE 0 END),
            last_application_on = GREATEST(last_application_on, NEW.sent_on)
        WHERE id = NEW.offer_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER candidates_application_offer_figures
    AFTER INSERT OR DELETE OR UPDATE OF status, offer_id, sent_on ON candidates_application
    FOR EACH ROW EXECUTE FUNCTION candidates_application_offer_figures();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS candidates_application_offer_figures ON candidates_application;
DROP FUNCTION IF EXISTS candidates_application_offer_figures();
"""

# SQLite: MAX(a, b) of two values is NULL when one is NULL, hence the COALESCE.
SQLITE = [
    f"""CREATE TRIGGER candidates_application_offer_figures_insert AFTER INSERT ON candidates_application
    BEGIN
        UPDATE offers_offer SET
            pending_applications = pending_applications + (NEW.status IN {OPEN}),
            last_application_on = MAX(COALESCE(last_application_on, NEW.sent_on), NEW.sent_on)
        WHERE id = NEW.offer_id;
    END""",
    f"""CREATE TRIGGER candidates_application_offer_figures_delete AFTER DELETE ON candidates_application
    BEGIN
        UPDATE offers_offer SET pending_applications = pending_applications - (OLD.status IN {OPEN})
        WHERE id = OLD.offer_id;
    END""",
    f"""CREATE TRIGGER candidates_application_offer_figures_update
    AFTER UPDATE OF status, offer_id, sent_on ON candidates_application
    BEGIN
        UPDATE offers_offer SET pending_applications = pending_applications - (OLD.status IN {OPEN})
        WHERE id = OLD.offer_id;
        UPDATE offers_offer SET
            pending_applications = pending_applications + (NEW.status IN {OPEN}),
            last_application_on = MAX(COALESCE(last_application_on, NEW.sent_on), NEW.sent_on)
        WHERE id = NEW.offer_id;
    END""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS candidates_application_offer_figures_{event}" for event in ("insert", "delete", "update")
]

# The figures of the applications already there.
BACKFILL = f"""
UPDATE offers_offer SET
    pending_applications = (
        SELECT COUNT(*) FROM candidates_application a WHERE a.offer_id = offers_offer.id AND a.status IN {OPEN}
    ),
    last_application_on = (SELECT MAX(a.sent_on) FROM candidates_application a WHERE a.offer_id = offers_offer.id)
WHERE id IN (SELECT offer_id FROM candidates_application)
"""


def forwards(apps, schema_editor):
    statements = [POSTGRESQL] if schema_editor.connection.vendor == "postgresql" else SQLITE
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"Déclencheurs non écrits pour la base {schema_editor.connection.vendor}.")
    for statement in [*statements, BACKFILL]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = [POSTGRESQL_REVERSE] if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0004_application_offer_counts_index"),
        ("offers", "0003_application_figures"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
