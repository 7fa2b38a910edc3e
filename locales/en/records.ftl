# The medical card: entries per pet, adding them, the weight trend

## Choosing the pet
msg-record-pets =
    📋 <b>Medical card</b>

    Whose card shall we open?
msg-record-no-pets =
    📋 <b>Medical card</b>

    Add your pet first — then vaccinations, treatments, weights and clinic papers will have a place to live.
btn-record-open-pets = 🐾 My pets
btn-record-medical-card = 📋 Medical card

## Entry types
lbl-record-kind-vaccination = 💉 Vaccination
lbl-record-kind-parasite-treatment = 🪲 Parasite treatment
lbl-record-kind-medication = 💊 Medication
lbl-record-kind-procedure = 🩹 Procedure or surgery
lbl-record-kind-allergy = 🤧 Allergy
lbl-record-kind-chronic-condition = 🫀 Chronic condition
lbl-record-kind-weight = ⚖️ Weight
lbl-record-kind-document = 📄 Document
lbl-record-kind-triage-result = 🩺 Symptom check
lbl-record-kind-consultation-report = 🧑‍⚕️ Vet's report

## The card
msg-record-card = 📋 <b>{ $name }: medical card</b>
lbl-record-due =
    <b>Next doses</b>
    { $due_text }
lbl-record-due-item = { $overdue ->
        [yes] ⚠️ { $title } — overdue since { DATE($due) }
       *[no] 🗓 { $title } — { DATE($due) }
    }
lbl-record-filter = 🔎 Showing: { $filter_text }
lbl-record-filter-all = all entries
msg-record-card-empty = No entries yet. Add vaccinations, treatments, weights and clinic papers with "➕ Add an entry".
msg-record-card-empty-filtered = No entries of this type yet.
lbl-record-page = Page { $page } of { $pages }
lbl-record-item = { $kind ->
        [vaccination] 💉
        [parasite_treatment] 🪲
        [medication] 💊
        [procedure] 🩹
        [allergy] 🤧
        [chronic_condition] 🫀
        [weight] ⚖️
        [document] 📄
        [triage_result] 🩺
       *[other] 📋
    } { DATE($date, style: "compact") } · { $title }{ $overdue ->
        [yes] { " " }⚠️
       *[no] { "" }
    }
lbl-record-urgency = { $urgency ->
        [high] 🔴 Urgent: see a vet now
        [medium] 🟡 See a vet within 24 hours
        [low] 🟢 Can be watched at home
       *[other] ⏳ Being assessed
    }
btn-record-add = ➕ Add an entry
btn-record-filter = 🔎 Filter by type
btn-record-weight-trend = 📈 Weight trend
btn-record-newer = ◀️ Newer
btn-record-older = Older ▶️

## Filter
msg-record-filter = Which entries shall I show? Tick one or more types; with none ticked you see everything.
btn-record-filter-apply = ✅ Show
btn-record-filter-clear = 🔄 Show everything

## One entry
msg-record-view =
    { $kind_label }
    <b>{ $title }</b>
lbl-record-view-date = { $kind ->
        [vaccination] Given
        [parasite_treatment] Given
        [medication] Started
        [procedure] Performed
        [allergy] Noticed
        [chronic_condition] Diagnosed
        [weight] Weighed
        [document] Dated
       *[other] Date
    }: { DATE($date) }
lbl-record-view-dose = Dose: { $dose }
lbl-record-view-schedule = How often: { $schedule }
lbl-record-view-course-end = Until: { DATE($course_end) }
lbl-record-view-course-ongoing = Until: ongoing
lbl-record-view-next-due = 🗓 Next dose: { DATE($next_due) }
lbl-record-view-overdue = ⚠️ Next dose was due { DATE($next_due) } — overdue by { $days } { $days ->
        [one] day
       *[other] days
    }
lbl-record-view-report = { $report_text }
lbl-record-view-report-vet = 🧑‍⚕️ Vet: { $vet }
lbl-record-view-report-amended = ✏️ Amended { DATE($date) }
lbl-record-view-note = 📝 { $note }
lbl-record-view-file = 📎 { $file_type ->
        [pdf] PDF document
       *[image] Photo of the document
    }
btn-record-open-result = 🩺 Open the result
btn-record-send-file = 📎 Send the file
btn-record-delete = 🗑 Delete the entry
msg-record-delete-ask =
    Delete this entry for good?

    { $title }
btn-record-delete-confirm = 🗑 Yes, delete
msg-record-deleted = The entry has been deleted.

## Weight trend
msg-record-weight-trend =
    📈 <b>{ $name }: weight</b>

    { $trend_text }
lbl-record-weight-point = { DATE($date) } — { $weight }{ $direction ->
        [up] { " " }↑ +{ $change }
        [down] { " " }↓ −{ $change }
        [same] { " " }→
       *[first] { "" }
    }
lbl-record-weight-total = { $direction ->
        [up] Gained { $change } over this period.
        [down] Lost { $change } over this period.
       *[same] No change over this period.
    }
msg-record-weight-empty = No weights yet. Add one with "➕ Add an entry" → "⚖️ Weight".

## Adding an entry
msg-record-ask-kind =
    📋 <b>New entry for { $name }</b>

    What would you like to add?
msg-record-form-header = { $kind_label } · <b>{ $name }</b> · step { $step } of { $steps }
msg-record-ask-file = Send the document: a PDF file, or a photo of the papers or lab results (up to 20 MB).
msg-record-ask-title = { $kind ->
        [vaccination] Which vaccine? Type its name as on the sticker in the passport{ $species ->
            [dog] , e.g. Nobivac DHPPi.
            [cat] , e.g. Purevax RCPCh.
            [rabbit] , e.g. Nobivac Myxo-RHD.
            [ferret] , e.g. Nobivac Rabies.
           *[other] .
        }
        [parasite_treatment] Which product? { $species ->
            [dog] e.g. Bravecto, Simparica, Milbemax.
            [cat] e.g. Bravecto Plus, Stronghold, Milbemax for cats.
           *[other] Type it as on the package.
        }
        [medication] Which medicine? e.g. Synulox.
        [procedure] What was done? e.g. dental cleaning, neutering, X-ray.
        [allergy] An allergy to what? e.g. chicken, flea bites, amoxicillin.
        [chronic_condition] Which condition? e.g. chronic kidney disease, diabetes.
       *[document] What is this document? e.g. blood test, discharge summary.
    }
msg-record-ask-dose = What dose? e.g. 50 mg, ½ tablet, 2 drops.
msg-record-ask-schedule = How often? e.g. twice a day with food, every 8 hours.
msg-record-ask-weight =
    How much does { $name } weigh?

    For example: 4.5 kg or 450 g. A number without a unit means kilograms.
msg-record-ask-date =
    { $kind ->
        [vaccination] When was the vaccine given?
        [parasite_treatment] When was the treatment given?
        [medication] When did the course start?
        [procedure] When was it done?
        [allergy] When was the allergy first noticed?
        [chronic_condition] When was it diagnosed?
        [weight] When was { $name } weighed?
       *[document] What is the document's date?
    }

    Type the date, e.g. 5 Mar 2024, or press "Today".
msg-record-ask-course-end = Until when does the course last? Type a date (e.g. 5 Mar 2024) or a duration from its start: "10 days", "2 weeks". Skip it if the course is ongoing.
msg-record-ask-next-due = When is the next dose due? Type a date (e.g. 5 Mar 2025), a period from the date given — "in 12 months", "in 3 weeks" — or press a button. Skip it if you don't know.
msg-record-ask-note = { $kind ->
        [allergy] How does the reaction show? e.g. itching, vomiting, swelling.
        [procedure] Anything to note — the clinic, anaesthesia, how it went?
       *[other] Anything to note — treatment, diet, the vet's advice?
    } Or skip this.
btn-record-today = 📅 Today
btn-record-skip = Skip ⏭
msg-record-suggested-title = Last time: <b>{ $suggested }</b>. If it is the same, press “✅ The same”; otherwise type the name.
btn-record-same-title = ✅ The same
btn-record-due-month = In 1 month
btn-record-due-quarter = In 3 months
btn-record-due-year = In 1 year
btn-record-form-cancel = ✖️ Cancel
msg-record-added = ✅ Added to the medical card.

## Errors
err-record-not-found = Entry not found. It may have been deleted, or access to the card was closed.
err-record-not-allowed = You have view-only access: only an owner or co-owner can add or delete entries.
err-record-pet-archived = This pet is in the archive: restore them to add or delete entries.
err-record-not-deletable = Entries the service adds itself (symptom checks, vet reports) stay on the card.
err-record-file-missing = Sorry, the file could not be found.
err-record-text-expected = Please type your answer, or choose an option with a button.
err-record-file-expected = Please send a PDF file or a photo of the document — or choose an option with a button.
err-record-text-empty = This can't be empty — please type it.
err-record-text-too-long = That's too long: { $max } characters at most.
err-record-date-unreadable = Sorry, I couldn't read the date. Type it like 5 Mar 2024, Mar 5 2024 or 2024-03-05 (with slashes a date reads two ways), or press "Today".
err-record-date-bad = There is no such date in the calendar. Check the day and the month, e.g. 5 Mar 2024.
err-record-date-in-future = That date is in the future. Add the entry once it has happened.
err-record-date-too-old = That is more than { $years } years ago — please check the year.
err-record-due-unreadable = Sorry, I couldn't read that. Type a date like 5 Mar 2025 or 2025-03-05 or a period such as "in 12 months" or "in 3 weeks".
err-record-due-not-after = The next dose must come after the date it was given.
err-record-due-too-far = That is more than { $years } years ahead — please check.
err-record-end-unreadable = Sorry, I couldn't read that. Type a date like 5 Mar 2024 or 2024-03-05 or a duration such as "10 days" or "2 weeks".
err-record-end-before-start = The course can't end before it starts.
err-record-end-too-far = That is more than { $years } years after the start — please check.
