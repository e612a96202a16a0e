"""Pure display helpers: money as officials read it, masked personal data."""

from decimal import Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def money_cn(amount) -> str:
    """Yuan shown in 万元 or 亿元: 48.93亿元, 5000万元, 8500元."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    if abs(value) >= YI:
        return f"{(value / YI).quantize(Decimal('0.01')).normalize():f}亿元"
    if abs(value) >= WAN:
        return f"{(value / WAN).quantize(Decimal('0.01')).normalize():f}万元"
    return f"{value.quantize(Decimal('0.01')).normalize():f}元"


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile number; keeps the area code of a landline (0431-****5678)."""
    phone = (phone or "").strip()
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 and phone.isdigit() else \
        phone[: len(phone) - 8] + "****" + phone[-4:]


def mask_id_number(number: str) -> str:
    number = (number or "").strip()
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
