# Medication doses: the form's dose-times step (dialogs/records), the dose reminder with
# "Given ✓" (bot/medication_sender.py) and the answers to it (bot/handlers/medication.py).
msg-record-ask-dose-times = At what times is it given? Type the dose times, e.g. "8:00 20:00", or press a button — you and the co-owners are reminded then. No reminders: “{ btn-record-times-skip }”.
btn-record-times-once = 09:00
btn-record-times-twice = 09:00 + 21:00
btn-record-times-thrice = 08:00 + 14:00 + 20:00
btn-record-times-skip = No reminders ⏭
err-record-times-unreadable = Sorry, I couldn't read the times. Type the dose times separated by spaces, e.g. "8:00 20:00" or "9 21".
err-record-times-too-many = At most { $max } doses a day.
lbl-record-view-dose-times = ⏰ Reminders at: { $times }
msg-medication-dose = 💊 <b>{ $name }</b>: { $drug }, { $dose } — { $time } dose
msg-medication-missed = ⏰ <b>{ $name }</b>’s { $time } dose of { $drug } is not marked as given.
btn-medication-given = Given ✓
msg-medication-given = ✓ Given at { $at }
msg-medication-given-by = ✓ Given by { $by } at { $at }
msg-medication-already-given = { $by } marked this dose as given at { $at }.
