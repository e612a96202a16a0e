"""One way to cut a list into pages: the page asked for (a bad number shows the first, one past the end the
last), and the page size a user chose among ``SIZES`` (kept in the address, so a saved view keeps it)."""

from django.core.paginator import Paginator

SIZES = (20, 50, 100)


def paginate(request, qs, default: int = 50):
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isascii() and raw.isdecimal() and int(raw) in SIZES else default
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    page.size, page.sizes = size, SIZES
    n, last = page.number, page.paginator.num_pages
    window = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
    # (None before a page that follows a gap, so the template writes "…"), page number
    page.window = [(None if i and p - window[i - 1] > 1 else p, p) for i, p in enumerate(window)]
    return page
