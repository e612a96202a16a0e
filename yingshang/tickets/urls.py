from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("inbox/", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
    path("statistics/", views.statistics, name="statistics"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
