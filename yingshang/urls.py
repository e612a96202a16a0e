from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from yingshang.core import views as core_views
from yingshang.core import api as core_api
from yingshang.core.api import Router
from yingshang.catalog import api as catalog_api
from yingshang.chain import api as chain_api
from yingshang.interop import api as interop_api
from yingshang.credit import api as credit_api
from yingshang.core.auth import LoginView
from yingshang.dashboard import api as dashboard_api
from yingshang.dashboard import views as dashboard_views
from yingshang.directory import api as directory_api
from yingshang.inspections import api as inspections_api
from yingshang.projects import api as projects_api
from yingshang.service import api as service_api
from yingshang.tickets import api as tickets_api

router = Router()
router.register("auth/tokens", core_api.TokenViewSet, basename="token")
router.register("exports", core_api.ExportViewSet, basename="export")
router.register("enterprises", directory_api.EnterpriseViewSet, basename="enterprise")
router.register("departments", directory_api.DepartmentViewSet, basename="department")
router.register("tickets", tickets_api.TicketViewSet, basename="ticket")
router.register("credit/records", credit_api.RecordViewSet, basename="credit-record")
router.register("credit/lists", credit_api.ListViewSet, basename="credit-list")
router.register("inspections/plans", inspections_api.PlanViewSet, basename="inspection-plan")
router.register("inspections/visits", inspections_api.VisitViewSet, basename="inspection-visit")
router.register("inspections/draws", inspections_api.DrawRecordViewSet, basename="inspection-draw")
router.register("inspections/items", inspections_api.ItemViewSet, basename="inspection-item")
router.register("inspections/inspectors", inspections_api.InspectorViewSet, basename="inspection-inspector")
router.register("inspections/campaigns", inspections_api.CampaignViewSet, basename="inspection-campaign")
router.register("projects/steps", projects_api.StepViewSet, basename="project-step")
router.register("projects", projects_api.ProjectViewSet, basename="project")
router.register("service/visits", service_api.VisitViewSet, basename="service-visit")
router.register("service/policies", service_api.PolicyViewSet, basename="service-policy")
router.register("service/campaigns", service_api.CampaignViewSet, basename="service-campaign")
router.register("service/applications", service_api.ApplicationViewSet, basename="service-application")
router.register("service/needs", service_api.NeedViewSet, basename="service-need")
router.register("service/matches", service_api.MatchViewSet, basename="service-match")
router.register("service/taskforces", service_api.TaskForceViewSet, basename="service-taskforce")
router.register("chain/chains", chain_api.ChainViewSet, basename="chain")
router.register("chain/relations", chain_api.RelationViewSet, basename="chain-relation")
router.register("chain/impact", chain_api.ImpactViewSet, basename="chain-impact")
router.register("chain/targets", chain_api.TargetViewSet, basename="chain-target")
router.register("chain/campaigns", chain_api.CampaignViewSet, basename="chain-campaign")
router.register("chain/invitations", chain_api.InvitationViewSet, basename="chain-invitation")
router.register("chain/consultations", chain_api.ConsultationViewSet, basename="chain-consultation")
router.register("catalog/items", catalog_api.ItemViewSet, basename="catalog-item")
router.register("catalog/applications", catalog_api.ApplicationViewSet, basename="catalog-application")
router.register("catalog/bundles", catalog_api.BundleViewSet, basename="catalog-bundle")
router.register("catalog/bundle-applications", catalog_api.BundleApplicationViewSet,
                basename="catalog-bundle-application")
router.register("catalog/ratings", catalog_api.RatingViewSet, basename="catalog-rating")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("favicon.ico", core_views.favicon),
    path("zone-map.json", core_views.zone_map, name="zone-map"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("notifications/", core_views.notifications, name="notifications"),
    path("notifications/read-all/", core_views.notifications_read_all, name="notifications-read-all"),
    path("notifications/settings/", core_views.notification_settings, name="notification-settings"),
    path("views/", core_views.saved_views, name="saved-views"),
    path("audit/", core_views.audit_trail, name="audit"),
    path("jobs/", core_views.jobs_page, name="jobs"),
    path("metrics", core_views.metrics_page, name="metrics"),
    path("jobs/<id:pk>/retry/", core_views.job_retry, name="job_retry"),
    path("exports/", core_views.exports_page, name="exports"),
    path("exports/new/", core_views.export_new, name="export_new"),
    path("exports/<id:pk>/", core_views.export_page, name="export_page"),
    path("exports/<id:pk>/download/", core_views.export_download, name="export_file"),
    path("directory/", include("yingshang.directory.urls")),
    path("tickets/", include("yingshang.tickets.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/auth/token/", core_api.TokenObtainView.as_view(), name="api-token"),
    path("accounts/tokens/", core_views.tokens, name="tokens"),
    path("credit/", include("yingshang.credit.urls")),
    path("inspections/", include("yingshang.inspections.urls")),
    path("projects/", include("yingshang.projects.urls")),
    path("services/", include("yingshang.catalog.urls")),
    path("public/", include("yingshang.portal.urls")),
    path("open311/v2/", include("yingshang.interop.open311_urls")),
    path("cockpit/", include("yingshang.dashboard.urls")),
    path("assist/", include("yingshang.service.urls")),
    path("chain/", include("yingshang.chain.urls")),
    path("api/v1/cockpit/figures", dashboard_api.FiguresView.as_view(), name="api-cockpit-figures"),
    path("api/v1/cockpit/figures/<str:key>/", dashboard_api.FigureView.as_view(), name="api-cockpit-figure"),
    path("api/v1/chain/factors/balance", chain_api.FactorBalanceView.as_view(), name="api-chain-balance"),
    path("api/v1/service/facts", service_api.FactsView.as_view(), name="api-service-facts"),
    path("api/v1/credit/measures", credit_api.MeasuresView.as_view(), name="api-credit-measures"),
    path("api/v1/credit/score", credit_api.ScoreView.as_view(), name="api-credit-score"),
    path("api/v1/hotline/orders/", interop_api.HotlineOrdersView.as_view(), name="api-hotline-orders"),
    path("api/v1/hotline/orders/<str:code>/", interop_api.HotlineOrderView.as_view(), name="api-hotline-order"),
    path("api/v1/hotline/orders/<str:code>/reject/", interop_api.HotlineRejectView.as_view(),
         name="api-hotline-reject"),
    path("api/v1/hotline/reconciliation/", interop_api.HotlineReconciliationView.as_view(),
         name="api-hotline-reconciliation"),
    path("api/v1/", include(router.urls)),
    # The API's description and its docs are for signed-in users (the docs' script is served by the platform,
    # not inline: the Content-Security-Policy allows no other).
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path("admin/", admin.site.urls),
]

handler500 = "yingshang.core.views.server_error"
handler404 = "yingshang.core.views.not_found"
handler400 = "yingshang.core.views.bad_request"
