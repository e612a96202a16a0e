"""Raising a problem from a phone the way a firm's staff would: the similar open problems of the firm appear
while the title is typed, a file of a wrong type or over the limit is refused before anything is uploaded, and
the files chosen survive a form that comes back with an error."""

from playwright.sync_api import expect

from .conftest import login, shot


def test_raising_shows_similar_problems_and_guards_the_files(new_page, tmp_path):
    ok, exe, big = tmp_path / "现场说明.pdf", tmp_path / "tool.exe", tmp_path / "big.jpg"
    ok.write_bytes(b"%PDF-1.4 note")
    exe.write_bytes(b"MZ")
    big.write_bytes(b"\0" * (10 * 1024 * 1024 + 1))
    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, "faw_rd")
    phone.goto("/tickets/new/")
    phone.locator("#id_title").press_sequentially("雨污水管网接入", delay=20)
    expect(phone.locator("[data-testid=similar]")).to_contain_text("院区雨污水管网接入市政管网")
    shot(phone, "raise-similar-phone")

    phone.set_input_files("#id_attachments", [str(exe)])
    expect(phone.locator("[data-testid=file-refused]")).to_contain_text("tool.exe")
    assert phone.eval_on_selector("#id_attachments", "el => el.files.length") == 0  # cleared: nothing to upload
    phone.set_input_files("#id_attachments", [str(big)])
    expect(phone.locator("[data-testid=file-refused]")).to_contain_text("10 MB")
    phone.set_input_files("#id_attachments", [str(ok)])
    expect(phone.locator("[data-testid=file-refused]")).to_be_empty()

    # No category chosen: the form comes back, and the file is still there to be sent.
    phone.fill("#id_description", "新建试验楼雨水管需接入市政管网。")
    phone.click("[data-testid=raise-submit]")
    expect(phone.locator("[data-testid=error-category]")).to_be_visible()
    expect(phone.locator("[data-testid=kept-files]")).to_contain_text("现场说明.pdf")
    phone.select_option("#id_category", label="供电")
    phone.click("[data-testid=raise-submit]")
    expect(phone.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "registered")
    expect(phone.locator("body")).to_contain_text("现场说明.pdf")
