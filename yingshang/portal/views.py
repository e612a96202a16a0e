"""Public pages (一公开), no login: the credit search, a firm's public records, the red and black
lists. Only what is published: no people, no phone numbers, no scores."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from yingshang.core.uscc import normalize_uscc
from yingshang.credit import selectors as credit
from yingshang.directory.models import Enterprise


def credit_search(request):
    q = request.GET.get("q", "").strip()[:100]
    results = list(credit.public_search(q)[:50]) if q else []
    red = credit.public_list("red")[:10]
    black = credit.public_list("black")[:10]
    return render(request, "portal/credit_search.html", {"q": q, "results": results, "red": red, "black": black})


def credit_firm(request, uscc: str):
    ent = get_object_or_404(Enterprise.objects.only("id", "name", "uscc", "address", "industry", "registered_on"),
                            uscc=normalize_uscc(uscc))
    return render(request, "portal/credit_firm.html", {
        "e": ent, "records": list(credit.public_records(ent.pk)),
        "entries": list(credit.public_list("red").filter(enterprise=ent)) +
        list(credit.public_list("black").filter(enterprise=ent))})


def credit_list(request, kind: str):
    if kind not in ("red", "black"):
        raise Http404
    page = Paginator(credit.public_list(kind), 50).get_page(request.GET.get("page"))
    return render(request, "portal/credit_list.html", {"kind": kind, "page": page, "query": ""})
