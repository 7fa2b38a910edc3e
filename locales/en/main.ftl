# Common buttons
btn-back = ◀️ Back
btn-continue = Continue ▶️
btn-main-menu = 🏠 Main menu

# Language
msg-choose-language = Выберите язык · Choose your language
btn-lang-ru = 🇷🇺 Русский
btn-lang-en = 🇬🇧 English
msg-language-changed = Language switched to English.

# Introduction
msg-about =
    <b>Telemed-Pet</b> — veterinary help in Telegram.

    What we do:
    • keep your pet's medical card: vaccinations, treatments, documents;
    • check symptoms and tell you how urgent it is;
    • book a video consultation with a vet and remind you of what matters.

    What we don't do:
    • we don't diagnose and don't replace an examination at a clinic;
    • we don't provide emergency care.

    ⚠️ If your pet is unwell right now — struggling to breathe, seizures, bleeding, poisoning, an injury — <b>go to a 24/7 clinic immediately</b>.

msg-consent =
    <b>Consent to data processing</b>

    To keep your pet's card and consultations we store your data (Telegram name, language, time zone) and your pets' health information: symptoms, photos, documents, vets' reports.

    Only you, the people you give access to, and the vet at your consultation see it. You can export or delete it at any time.

    Do you agree to the processing of this data?
btn-consent-agree = ✅ I agree
btn-consent-decline = Not now
msg-consent-declined =
    Without consent we cannot keep your pet's card or hold consultations.

    If you change your mind, press the button below or send /start.
btn-consent-review = Back to consent

# Main menu
msg-main-menu =
    { $name }, how can we help?

    If your pet is unwell right now, don't wait — go to a 24/7 clinic.
btn-menu-pets = 🐾 My pets
btn-menu-check = 🩺 Symptom check
btn-menu-book = 📅 Book a vet
btn-menu-records = 📋 Records
btn-menu-language = 🌐 Language
btn-menu-reminders = 🔔 Reminders


# Commands
msg-help =
    <b>Telemed-Pet</b> — veterinary help in Telegram.

    /start — main menu
    /pets — my pets
    /check — symptom check
    /book — book a vet
    /appointments — my appointments, cancelling
    /paysupport — payments and refunds
    /records — pet's medical records
    /reminders — reminders, quiet hours, time zone
    /export — download all my data
    /delete_me — delete my account and data
    /language — change language
    /cancel — cancel the current action
    /help — this help

    We don't replace an examination in person. In an emergency go to a 24/7 clinic right away.
msg-help-vet =
    { msg-help }

    <b>For vets</b>
    /today — today's consultations
    /queue — consultations in the next 7 days
    /schedule — working hours and days off
    /vet_profile — my profile

    <b>How a consultation goes.</b> Under each consultation in /today and /queue:
    📋 — the brief in the Mini App: the pet's card, the owner's reason, the attached symptom check with photos. It opens { $brief_minutes } min before the start.
    ▶ Start — appears { $call_minutes } min before the start and opens the video call.
    📝 Report — the form after the call: the report goes to the owner and into the pet's card.
msg-cancelled = Cancelled.
msg-nothing-to-cancel = Nothing to cancel.

cmd-start = Main menu
cmd-help = Help
cmd-pets = My pets
cmd-check = Symptom check
cmd-book = Book a vet
cmd-records = Pet's medical records
cmd-language = Change language
cmd-cancel = Cancel the current action

# Errors and hints
err-use-buttons = Please choose an option with the buttons below ⬇️
err-unknown-input = I didn't understand that. Open the menu with /start, or see /help.
err-internal = Sorry, something went wrong on our side. We're looking into it. Here is the main menu.
err-temporary-failure = That didn't go through: a temporary fault on our side. Please repeat it in a minute — everything you entered before is kept.
err-not-found = We could not find that pet or record — it may have been deleted, or access was withdrawn. Here is the main menu.
err-stale-button = This button is out of date. Here is the main menu.
err-consent-required = We need your consent to data processing first.
err-main-menu-typed = Choose a section with the buttons below ⬇️ — or tell me in a few words what is happening with your pet, and I'll say what to do.
btn-page-previous = ◀️ Previous
btn-page-next = Next ▶️

# A list cut to fit one Telegram message.
lbl-list-more = … and { $count } more
