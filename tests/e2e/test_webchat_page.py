"""The web chat page in headless Chromium, against a tiny echo bot."""

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LabeledPrice,
    Message,
    PreCheckoutQuery,
    WebAppInfo,
)
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright, expect

from sandbox.testing import EmulatorServer, SandboxUser, polling
from tests.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]


def _echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message(F.photo)
    async def on_photo(message: Message) -> None:
        assert message.photo is not None
        size = message.photo[-1]
        await message.answer(f"Фото {size.width}x{size.height}")

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Нажми", callback_data="tap")]]
        )
        await message.answer(
            f"Эхо: <b>{message.text}</b>", parse_mode="HTML", reply_markup=keyboard
        )

    @dispatcher.callback_query(F.data == "tap")
    async def on_tap(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("Нажато ✅")
        await query.answer("Готово")

    @dispatcher.pre_checkout_query()
    async def on_checkout(query: PreCheckoutQuery) -> None:
        await query.answer(ok=True)

    return dispatcher


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    page = await context.new_page()
    yield page
    await context.close()


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 160, 220)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_chat_with_the_bot_click_a_button_and_send_a_photo(
    emulator_server: EmulatorServer, emulator_bot: Bot, page: Page
) -> None:
    async with polling(_echo_dispatcher(), emulator_bot):
        await page.goto(emulator_server.base_url)
        await expect(page.get_by_test_id("bot-name")).to_have_text("Телемед-Питомец")

        await page.wait_for_selector("body[data-ready]")
        if not await page.get_by_test_id("new-user-form").is_visible():
            await page.get_by_test_id("new-user-toggle").click()
        await page.get_by_test_id("new-user-name").fill("Браузер")
        await page.get_by_test_id("new-user-language").select_option("en")
        await page.get_by_test_id("new-user-submit").click()
        await expect(page.get_by_test_id("user-select")).to_contain_text("Браузер (en")

        await page.get_by_test_id("message-input").fill("привет")
        await page.get_by_test_id("message-input").press("Enter")
        bot_message = page.locator('[data-testid="message"][data-from-bot="true"]').last
        await expect(bot_message.get_by_test_id("message-text")).to_have_text("Эхо: привет")
        # HTML from the bot arrives as entities and is rendered as markup, not as text.
        await expect(bot_message.locator("b")).to_have_text("привет")

        await bot_message.get_by_test_id("inline-button").click()
        await expect(bot_message.get_by_test_id("message-text")).to_have_text("Нажато ✅")
        await expect(bot_message.get_by_test_id("edited-mark")).to_be_visible()
        await expect(bot_message.get_by_test_id("inline-keyboard")).to_have_count(0)
        await expect(page.get_by_test_id("toast")).to_have_text("Готово")

        await page.get_by_test_id("photo-input").set_input_files(
            {"name": "paw.png", "mimeType": "image/png", "buffer": _png(320, 200)}
        )
        user_photo = page.locator('[data-testid="message"][data-from-bot="false"]').last
        await expect(user_photo.get_by_test_id("message-photo")).to_be_visible()
        await expect(
            page.locator('[data-testid="message"][data-from-bot="true"]').last
        ).to_contain_text("Фото 320x200")
        loaded = await user_photo.get_by_test_id("message-photo").evaluate(
            "img => img.naturalWidth"
        )
        assert loaded == 320


async def test_switch_users_pay_an_invoice_and_open_the_mini_app(
    emulator_server: EmulatorServer,
    emulator_bot: Bot,
    control_api: httpx.AsyncClient,
    sandbox_user: SandboxUser,
    page: Page,
) -> None:
    vet = (await control_api.post("/sandbox/api/users", json={"first_name": "Доктор Вет"})).json()
    await emulator_bot.send_message(vet["chat_id"], "Приём в 15:00")
    await emulator_bot.send_message(
        sandbox_user.chat_id,
        "Консультация",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text="Видео", web_app=WebAppInfo(url="https://vet.example/call")
                    )
                ]
            ]
        ),
    )
    async with polling(_echo_dispatcher(), emulator_bot):
        await emulator_bot.send_invoice(
            sandbox_user.chat_id,
            title="Консультация",
            description="30 минут",
            payload="appointment-1",
            currency="XTR",
            prices=[LabeledPrice(label="Консультация", amount=300)],
        )
        await page.goto(f"{emulator_server.base_url}/?user={sandbox_user.id}")
        await expect(page.get_by_test_id("invoice")).to_contain_text("300 ⭐")

        await page.get_by_test_id("pay-button").click()
        await expect(page.get_by_test_id("toast")).to_have_text("✅ Paid")
        await expect(page.get_by_test_id("chat")).to_contain_text("Payment received: 300 ⭐")

        await page.get_by_text("Видео").click()
        frame = page.get_by_test_id("webapp-frame")
        await expect(page.get_by_test_id("webapp")).to_be_visible()
        src = await frame.get_attribute("src")
        assert src is not None and src.startswith("https://vet.example/call#tgWebAppData=")
        await page.get_by_test_id("webapp-close").click()

        await page.get_by_test_id("user-select").select_option(str(vet["id"]))
        await expect(page.get_by_test_id("chat")).to_contain_text("Приём в 15:00")
        await expect(page.get_by_test_id("chat")).not_to_contain_text("Консультация")
