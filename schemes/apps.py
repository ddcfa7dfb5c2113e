from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Sites and schemes"

    def ready(self):
        from django.urls import reverse

        from documents.models import DocumentType, SubjectKind
        from documents.subjects import Subject, register
        from schemes.selectors import scheme_stage_get

        self._register_imports()

        register(
            Subject(
                kind=SubjectKind.SCHEME,
                get=lambda access, public_id: scheme_stage_get(access=access, public_id=public_id),
                url=lambda scheme, slug: reverse(
                    "scheme_detail", kwargs={"umbrella_slug": slug, "public_id": scheme.public_id}
                ),
                usual_types=(
                    DocumentType.LEASE,
                    DocumentType.S106,
                    DocumentType.NOMINATION_AGREEMENT,
                    DocumentType.PLANNING_DECISION,
                    DocumentType.OPTION_AGREEMENT,
                ),
                sharable=True,
            )
        )

    @staticmethod
    def _register_imports():
        """Timesheets and milestones may be long: a large file is imported by a task."""
        from django.urls import reverse

        from accounts.imports import Importer, register
        from schemes import history, selectors, services
        from schemes.costs import services as cost_services

        register(
            Importer(
                kind="timesheet",
                rule=cost_services.RULE,
                columns=cost_services.TIMESHEET_COLUMNS,
                required=cost_services.TIMESHEET_REQUIRED,
                run=lambda access, target, **kw: len(cost_services.timesheet_import(access=access, **kw)),
                done_url=lambda target, slug: reverse("cost_entry_list", kwargs={"umbrella_slug": slug}),
                retry_url=lambda target, slug: reverse("timesheet_import", kwargs={"umbrella_slug": slug}),
                what="time entries",
            )
        )
        register(
            Importer(
                kind="milestones",
                rule="schemes.manage",
                columns=services.IMPORT_COLUMNS,
                required=services.IMPORT_REQUIRED,
                run=lambda access, target, **kw: len(services.milestone_import(access=access, scheme=target, **kw)),
                done_url=lambda scheme, slug: reverse(
                    "scheme_detail", kwargs={"umbrella_slug": slug, "public_id": scheme.public_id}
                ),
                retry_url=lambda scheme, slug: reverse(
                    "milestone_import", kwargs={"umbrella_slug": slug, "public_id": scheme.public_id}
                ),
                what="milestones and tasks",
                target=lambda access, public_id: selectors.scheme_get(access=access, public_id=public_id),
            )
        )
        register(
            Importer(
                kind="history",
                rule="schemes.manage",
                columns=history.HISTORY_COLUMNS,
                required=history.HISTORY_REQUIRED,
                run=lambda access, target, **kw: len(history.history_import(access=access, **kw)),
                done_url=lambda target, slug: reverse("scheme_list", kwargs={"umbrella_slug": slug}),
                retry_url=lambda target, slug: reverse("scheme_import", kwargs={"umbrella_slug": slug}),
                what="schemes, with their CLTs and sites",
            )
        )
