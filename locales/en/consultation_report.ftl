## The vet's report after a consultation: the owner's message, the PDF and the field labels.

lbl-report-assessment = Assessment
lbl-report-diagnosis = Diagnosis
lbl-report-recommendations = Recommendations
lbl-report-prescriptions = Prescriptions
lbl-report-drug = Drug
lbl-report-dose = Dose
lbl-report-frequency = How often
lbl-report-duration = For how long
lbl-report-follow-up = Follow-up: { $date }
lbl-report-in-person = In-person visit: { $needed ->
        [yes] needed
       *[no] not needed
    }

lbl-report-card-amended = Amended { $date }

## The chat message
msg-report-ready =
    📋 <b>The vet's report: { $pet }</b>
    { $vet }, consultation on { $date } at { $time } { $zone }

    { $body }

    The full report is in the PDF below and in your pet's medical card.
msg-report-amended =
    ✏️ <b>The vet amended the report: { $pet }</b>
    { $vet }, consultation on { $date } at { $time } { $zone }
    Amended on { $amended_date } at { $amended_time }: { $note }

    { $body }

    The new version is in the PDF below and in your pet's medical card.
lbl-report-line-assessment = <b>Assessment:</b> { $text }
lbl-report-line-diagnosis = <b>Diagnosis:</b> { $text }
lbl-report-line-recommendations = <b>Recommendations:</b> { $text }
lbl-report-line-prescriptions = <b>Prescriptions:</b>
lbl-report-line-prescription = • { $drug }{ $details ->
        [none] {""}
       *[other] { " " }— { $details }
    }
lbl-report-line-more-prescriptions = …and { $count } more in the PDF
lbl-report-line-follow-up = 🗓 <b>Follow-up:</b> { DATE($date) }
lbl-report-line-in-person = 🏥 The vet advises an in-person visit to a clinic.

## PDF
lbl-report-pdf-title = Veterinary consultation report: { $pet }
lbl-report-pdf-author = Telemed-Pet
lbl-report-pdf-pet = Pet: { $pet } ({ $species ->
        [dog] dog
        [cat] cat
        [rabbit] rabbit
        [guinea_pig] guinea pig
        [rodent] rodent
        [ferret] ferret
        [bird] bird
        [reptile] reptile
       *[other] other animal
    })
lbl-report-pdf-owner = Owner: { $owner }
lbl-report-pdf-vet = Vet: { $vet }
lbl-report-pdf-held = Consultation: { $when }
lbl-report-pdf-amendments = Amendments
lbl-report-pdf-amendment = { $when }: { $note }
lbl-report-pdf-footer = Report submitted { $submitted }; document generated { $generated } by the Telemed-Pet bot.
lbl-report-pdf-date = { DATE($date) }
lbl-report-pdf-moment = { DATE($date) } { $time } { $zone }
