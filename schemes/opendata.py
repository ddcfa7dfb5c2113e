"""Open data (issue 16.4): the umbrella's sites and schemes as CSV or JSON for it to publish, in
published code lists where they exist, with everything private left out (costs, money, risk
reasons, landowners and their talks, people, notes). Sites are published only once secured or
with a planning application made (schemes.selectors.site_public_list), and schemes only on such
a site (scheme_public_list: a scheme's name is often its site's).

Tenure: one row per scheme and tenure, with digital-land's tenure-type code and the CORE code
(rent type for the rented tenures, sales ownership scheme for the rest): schemes/codelists.py.
The stage is given by its Fieldgate code and label.
"""

import json

from django.http import HttpResponse

from accounts.access import Access
from accounts.views_base import TenantPage, csv_response
from core.csvexport import csv_pieces
from schemes.codelists import TENURES
from schemes.selectors import scheme_list, scheme_public_list, site_public_list

SCHEME_COLUMNS = ["scheme", "scheme-name", "clt", "parish", "district", "stage", "stage-name", "tenure",
                  "tenure-type", "tenure-code-list", "tenure-code", "homes", "housing-association"]  # fmt: skip
SITE_COLUMNS = ["site", "site-name", "parish", "district", "area-hectares", "current-use", "scheme"]


def scheme_rows(*, access: Access) -> list[dict]:
    if not access.is_staff:
        return []
    schemes = scheme_public_list(access=access).select_related("clt", "site__parish", "housing_association")
    schemes = schemes.order_by("name", "pk")
    rows = []
    for s in schemes:
        parish = s.site.parish if s.site else None
        for t in TENURES:
            homes = getattr(s, t.field)
            if not homes:
                continue
            rows.append({
                "scheme": str(s.public_id), "scheme-name": s.name, "clt": s.clt.name,
                "parish": parish.name if parish else "", "district": parish.district if parish else "",
                "stage": s.stage, "stage-name": s.get_stage_display(), "tenure": t.name,
                "tenure-type": t.digital_land, "tenure-code-list": t.core_list, "tenure-code": t.core_code, "homes": homes,
                "housing-association": s.housing_association.name if s.housing_association else "",
            })  # fmt: skip
    return rows


def site_rows(*, access: Access) -> list[dict]:
    if not access.is_staff:
        return []
    scheme_of = dict(scheme_list(access=access).filter(site__isnull=False).values_list("site_id", "public_id"))
    return [
        {
            "site": str(site.public_id),
            "site-name": site.name,
            "parish": site.parish.name,
            "district": site.parish.district,
            "area-hectares": str(site.area_hectares) if site.area_hectares is not None else "",
            "current-use": site.current_use,
            "scheme": str(scheme_of[site.pk]) if site.pk in scheme_of else "",
        }  # fmt: skip
        for site in site_public_list(access=access).select_related("parish").order_by("name", "pk")
    ]


class _OpenData(TenantPage):
    permissions = {"GET": "schemes.manage"}
    dataset, columns = "", []

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        rows = self.rows()
        filename = f"{self.umbrella.slug}-{self.dataset}"
        if request.GET.get("format") == "json":
            body = json.dumps({"dataset": self.dataset, "publisher": self.umbrella.name, "entities": rows}, indent=1)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
            return response
        return csv_response(
            filename=f"{filename}.csv", pieces=csv_pieces(self.columns, ([r[c] for c in self.columns] for r in rows))
        )


class SchemeOpenDataView(_OpenData):
    dataset, columns = "schemes", SCHEME_COLUMNS

    def rows(self):
        return scheme_rows(access=self.access)


class SiteOpenDataView(_OpenData):
    dataset, columns = "sites", SITE_COLUMNS

    def rows(self):
        return site_rows(access=self.access)
