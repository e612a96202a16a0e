from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("new/similar/", views.similar, name="similar"),
    path("mine/", views.mine, name="mine"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("inbox/", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
    path("statistics/", views.statistics, name="statistics"),
    path("notices/<id:pk>/", views.notice, name="notice"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/sheet/", views.sheet, name="sheet"),
    path("<id:pk>/<slug:action>/", views.act, name="act"),
]
