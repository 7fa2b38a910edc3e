from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Row, SwitchTo

from dialogs.onboarding.handlers import (
    on_consent_declined,
    on_consent_given,
    on_language_chosen,
)
from dialogs.states import OnboardingSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat
from dialogs.widgets.language_buttons import language_buttons

ID_ABOUT_BACK = "about_back"
ID_ABOUT_NEXT = "about_next"
ID_CONSENT_AGREE = "consent_agree"
ID_CONSENT_DECLINE = "consent_decline"
ID_CONSENT_BACK = "consent_back"
ID_DECLINED_REVIEW = "declined_review"


language_window = Window(
    I18nFormat("msg-choose-language"),
    language_buttons(on_language_chosen),
    unexpected_input_hint(),
    state=OnboardingSG.LANGUAGE,
)

about_window = Window(
    I18nFormat("msg-about"),
    Row(
        Back(I18nFormat("btn-back"), id=ID_ABOUT_BACK),
        SwitchTo(I18nFormat("btn-continue"), id=ID_ABOUT_NEXT, state=OnboardingSG.CONSENT),
    ),
    unexpected_input_hint(),
    state=OnboardingSG.ABOUT,
)

consent_window = Window(
    I18nFormat("msg-consent"),
    Button(I18nFormat("btn-consent-agree"), id=ID_CONSENT_AGREE, on_click=on_consent_given),
    Row(
        SwitchTo(I18nFormat("btn-back"), id=ID_CONSENT_BACK, state=OnboardingSG.ABOUT),
        Button(
            I18nFormat("btn-consent-decline"), id=ID_CONSENT_DECLINE, on_click=on_consent_declined
        ),
    ),
    unexpected_input_hint(),
    state=OnboardingSG.CONSENT,
)

declined_window = Window(
    I18nFormat("msg-consent-declined-forgotten"),
    SwitchTo(I18nFormat("btn-consent-review"), id=ID_DECLINED_REVIEW, state=OnboardingSG.CONSENT),
    unexpected_input_hint(),
    state=OnboardingSG.DECLINED,
)


def build_onboarding_dialog() -> Dialog:
    return Dialog(language_window, about_window, consent_window, declined_window)
