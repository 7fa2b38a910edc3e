# Vets: onboarding by invite, the profile, verification, the schedule, the day and the queue

cmd-vet-today = Today's consultations
cmd-vet-schedule = My schedule
cmd-vet-queue = Upcoming consultations (7 days)

err-vet-only = This command is for vets only. If you are a vet, ask the administrator for an invite link.
err-vet-admin-only = Only administrators can do this.
err-vet-text-expected = Please send the answer as text, or use the buttons.
err-vet-photo-expected = Please send a photo, or skip this step with the button.

# Invites
msg-vet-invite-link =
    🔗 <b>Vet invite</b>

    Send this link to the vet. It works once, for { $hours } hours:
    { $link }
msg-vet-invite-accepted =
    🩺 Welcome to Telemed-Pet! You are now registered as a vet.

    Fill in your profile: owners will see it once an administrator verifies it. You can open the form any time with /vet_profile, and set your hours with /schedule.
err-vet-invite-not-found = This vet invite link is not valid. Ask the administrator for a new one.
err-vet-invite-expired = This vet invite link has expired. Ask the administrator for a new one.
err-vet-invite-used = This vet invite link has already been used.
err-vet-invite-already-vet = You already have a vet profile: open it with /vet_profile.

# The profile form
msg-vet-form-header = 🩺 <b>Vet profile</b> · step { $step } of { $total }
msg-vet-ask-name = How should owners address you? Send your full name as it should appear in your profile.
msg-vet-ask-photo = Send a photo for your profile (a portrait works best), or skip this step.
msg-vet-ask-specialisations = What are your specialisations? For example: therapy, dermatology, cardiology.
msg-vet-ask-species = Which animals do you consult on? Tap to select, then press “Done”.
msg-vet-ask-languages = In which languages do you consult? Tap to select, then press “Done”.
msg-vet-ask-years = How many years have you been practising? Send a number, e.g. 7.
msg-vet-ask-price = Your price per consultation in Telegram Stars ⭐ (a whole number from 1 to 100000).
msg-vet-ask-zone = Your time zone: your hours are in it, and owners see them in theirs. Now: <b>{ $current_zone }</b>. Choose one, or send its name, e.g. <code>Asia/Omsk</code>.
btn-vet-zone-keep = Keep the current one
msg-vet-ask-bio = A short bio for owners (up to 500 characters), or skip this step.
btn-vet-skip = Skip ⏭
btn-vet-done = ✅ Done
btn-vet-submit = 📨 Send for verification
lbl-vet-language-ru = 🇷🇺 Russian
lbl-vet-language-en = 🇬🇧 English
lbl-vet-no-bio = —
lbl-vet-photo-yes = 📷 photo attached
lbl-vet-photo-no = no photo
msg-vet-summary =
    🩺 <b>Check your profile</b>

    <b>{ $name }</b>
    Specialisations: { $specialisations }
    Animals: { $species }
    Languages: { $languages }
    Years of practice: { $years }
    Price: { $price } ⭐
    Bio: { $bio }
    Time zone: { $zone }
    Photo: { $photo }
msg-vet-submitted = 📨 Your profile has been sent. An administrator will verify it; we will let you know.
msg-vet-saved = ✅ Your profile has been updated.
err-vet-name-empty = The name cannot be empty.
err-vet-name-too-long = The name is too long: at most { $limit } characters.
err-vet-specialisations-empty = Please list at least one specialisation.
err-vet-specialisations-too-long = That is too long: at most { $limit } characters.
err-vet-species-empty = Please select at least one kind of animal.
err-vet-languages-empty = Please select at least one language.
err-vet-language-unknown = Please choose the languages with the buttons.
err-vet-years-unreadable = Please send the number of years as a whole number, e.g. 7.
err-vet-years-out-of-range = The years of practice must be between 0 and { $limit }.
err-vet-price-unreadable = Please send the price as a whole number of Stars, e.g. 500.
err-vet-price-out-of-range = The price must be from 1 to { $limit } Stars.
err-vet-bio-too-long = The bio is too long: at most { $limit } characters.
err-vet-zone-unknown = I do not know that time zone. Send a name like <code>Europe/Moscow</code> or <code>Asia/Omsk</code>.

# Verification (admins)
msg-vet-pending-list = 🗂 <b>Profiles waiting for verification</b>: { $count }
msg-vet-pending-empty = 🗂 No profiles are waiting for verification.
msg-vet-pending-card =
    🩺 <b>{ $name }</b> ({ $account })

    Specialisations: { $specialisations }
    Animals: { $species }
    Languages: { $languages }
    Years of practice: { $years }
    Price: { $price } ⭐
    Time zone: { $zone }
    Bio: { $bio }
btn-vet-verify = ✅ Verify
btn-vet-reject = ❌ Reject
msg-vet-verified-admin = ✅ { $name } is verified: owners can book them now.
msg-vet-rejected-admin = ❌ { $name }'s profile was rejected.
msg-vet-verified-you = ✅ Your vet profile is verified: owners can now see you and book your free times. Set your hours with /schedule.
msg-vet-rejected-you = Your vet profile was not approved. Please contact the administrator.
err-vet-pending-not-found = This profile is no longer waiting for verification.
err-vet-photo-unavailable = Telegram no longer has this photo. Ask the vet to send it again if you need it.

# The schedule (/schedule)
msg-vet-schedule =
    🗓 <b>My schedule</b> · times in { $zone }

    { $template }

    ⏱ Consultation: { $length } min, then a { $buffer } min pause

    <b>Days off and extra hours</b>
    { $exceptions }
msg-vet-schedule-unverified = ℹ️ Your profile is not verified yet: owners will see these times once an administrator verifies it.
lbl-vet-weekday-mon = Monday
lbl-vet-weekday-tue = Tuesday
lbl-vet-weekday-wed = Wednesday
lbl-vet-weekday-thu = Thursday
lbl-vet-weekday-fri = Friday
lbl-vet-weekday-sat = Saturday
lbl-vet-weekday-sun = Sunday
lbl-vet-schedule-day = { $day }: { $hours }
lbl-vet-schedule-day-off = day off
lbl-vet-exception-off = 🏖 { $date } { $start }–{ $end }: time off
lbl-vet-exception-extra = ➕ { $date } { $start }–{ $end }: extra hours
lbl-vet-no-exceptions = none
btn-vet-edit-day = ✏️ Hours of a weekday
btn-vet-edit-length = ⏱ Consultation length
btn-vet-edit-buffer = ⏸ Pause between consultations
btn-vet-add-day-off = 🏖 Add a day off
btn-vet-add-extra = ➕ Add extra hours
btn-vet-remove-exception = 🗑 Remove a day off or extra hours
msg-vet-choose-day = Which weekday?
msg-vet-ask-hours =
    Send the hours for <b>{ $day }</b> in { $zone }, e.g. <code>09:00-13:00, 14:00-18:00</code>, or <code>off</code> for a day off.
msg-vet-ask-length = Send the length of one consultation in minutes ({ $min }–{ $max }).
msg-vet-ask-buffer = Send the pause after each consultation in minutes (0–{ $max }).
msg-vet-ask-day-off = Send the date of the day off, e.g. <code>31 Dec 2026</code>. Your zone: { $zone }.
msg-vet-ask-extra = Send the date and the hours, e.g. <code>31 Dec 2026 10:00-12:00</code>, in { $zone }.
msg-vet-choose-exception = Which one should be removed?
msg-vet-schedule-saved = ✅ Saved. Free times for booking are updated.
msg-vet-conflicts =
    ⚠️ You have { $count } booked { $count ->
        [one] consultation
       *[other] consultations
    } at that time. They stay booked unless you cancel them (the owner gets a full refund):
btn-vet-keep-appointments = Keep them
msg-vet-appointment-cancelled = The consultation at { $start } has been cancelled; the owner is refunded.
err-vet-appointment-not-cancellable = This consultation can no longer be cancelled.
err-vet-exception-not-found = That day off or extra hours no longer exists.
err-vet-hours-unreadable = I could not read those hours. Example: <code>09:00-13:00, 14:00-18:00</code>, or <code>off</code>.
err-vet-minutes-unreadable = Please send a whole number of minutes, at most { $limit }.
err-vet-date-unreadable = I could not read that date. Examples: <code>31 Dec 2026</code>, <code>2026-12-31</code> (with slashes a date reads two ways).
err-vet-date-in-past = That date has already passed.
err-vet-schedule-weekday = Unknown weekday.
err-vet-schedule-window-empty = A period must end after it starts.
err-vet-schedule-windows-overlap = The periods of one day overlap.
err-vet-schedule-window-too-short = Each period must fit at least one consultation.
err-vet-schedule-consultation-length = The consultation length is out of bounds.
err-vet-schedule-buffer-length = The pause is out of bounds.
err-vet-schedule-exception-empty = A period must end after it starts.
err-vet-schedule-exception-in-past = That time has already passed.
err-vet-schedule-exception-too-long = That period is too long.

# The day and the queue
msg-vet-today =
    📅 <b>Today, { $date }</b> · { $zone }: { $count }

    { $items }
msg-vet-today-empty = 📅 <b>Today, { $date }</b> · { $zone }: no confirmed consultations.
msg-vet-queue =
    🗂 <b>Next 7 days</b> · { $zone }: { $count }

    { $items }
msg-vet-queue-empty = 🗂 No confirmed consultations in the next 7 days.
lbl-vet-agenda-item =
    🕘 <b>{ $date } { $start }–{ $end }</b> · { $pet } ({ $species })
    Reason: { $reason }
    Triage: { $urgency }
lbl-vet-no-reason = not given
lbl-vet-urgency = { $urgency ->
        [high] 🔴 high
        [medium] 🟡 medium
        [low] 🟢 low
       *[none] no symptom check attached
    }
btn-vet-show-photo = 🖼 Photo
btn-vet-brief = 📋 { $when } · { $pet }
btn-vet-start-call = ▶ Start
btn-vet-report = 📝 Report
