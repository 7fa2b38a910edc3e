## The medical card: microchip, vaccine batch, the PDF (issue #13)

# Part of the PDF's file name: "Murzik-medical-card.pdf".
lbl-card-file-suffix = medical-card
lbl-card-microchip = Microchip: { $number ->
        [none] not given
       *[other] { $number }
    }
lbl-card-owner = Owner: { $name }{ $username ->
        [none] {""}
       *[other] , Telegram @{ $username }
    }
lbl-card-weight-value = { $kg } kg
lbl-card-triage-level = { $urgency ->
        [high] urgent, see a vet now
        [medium] see a vet within 24 hours
        [low] can be watched at home
       *[other] being assessed
    }
lbl-card-vaccine-overdue = { $date } — overdue

## The vaccine batch in the entry form
msg-record-ask-batch = The vaccine's batch number — it is on the sticker in the pet passport, e.g. A123B01. Skip this if there is no sticker.
err-record-batch-bad = A batch number is letters and digits ("-", "/" and "." allowed), up to { $max } characters. For example: A123B01.
lbl-record-view-batch = 🏷 Batch: { $batch }

## The microchip on the pet's card
btn-pet-field-microchip = Microchip
msg-pet-ask-microchip =
    ✏️ <b>{ $name }</b>

    The microchip number: 15 digits (ISO 11784), as in the pet passport or on the scanner. Spaces are fine.
btn-pet-microchip-clear = Clear the number 🗑
err-pet-microchip-bad = A microchip number is exactly 15 digits, e.g. 643 094 100 123 456.
lbl-pet-card-microchip = 🔖 Microchip: { $microchip }
