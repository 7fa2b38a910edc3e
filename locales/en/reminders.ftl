# Reminders of the medical card's next-due dates (bot/reminder_sender.py) and the answers to
# their buttons (bot/handlers/reminders.py).
lbl-reminder-item-vaccination = vaccination “{ $title }”
lbl-reminder-item-parasite-treatment = parasite treatment “{ $title }”
msg-reminder-before-7d = 🗓 <b>{ $name }</b> — in a week, on { DATE($due) }: { $item }.
msg-reminder-due = 💉 <b>{ $name }</b> — today, { DATE($due) }: { $item }.
msg-reminder-overdue =
    ⏰ <b>{ $name }</b> — it was due on { DATE($due) }: { $item }.
    If it is done already, press “✅ Done”.
msg-reminder-again = 🔔 <b>{ $name }</b> — a reminder: { $item }, due { DATE($due) }.
btn-reminder-done = ✅ Done
btn-reminder-snooze = ⏰ Remind me tomorrow
btn-reminder-stop = 🔕 Stop for this item
msg-reminder-done = ✅ Great! Add the new entry to the medical card with its next due date, and we will remind you of it.
msg-reminder-done-form = ✅ Great! Let us add the new dose to the medical card: confirm the name and the date, and we will remind you of the next due date.
msg-reminder-snoozed = ⏰ All right, we will remind you on { DATE($day) }.
msg-reminder-stopped = 🔕 No more reminders about this one.
err-reminder-not-found = There is no such reminder.
err-reminder-stale = This reminder is out of date.

# Reminders of a paid consultation, 24 h and 1 h before (bot/reminder_sender.py): $other is the
# vet's name for the owner, the owner's for the vet.
msg-appointment-reminder-day-owner =
    📅 <b>A reminder of your consultation: { $date } at { $time } { $zone }</b>
    { $pet } with { $other }. If your plans have changed, you can move or cancel it in “My appointments”.
msg-appointment-reminder-day-vet =
    📅 <b>Consultation: { $date } at { $time } { $zone }</b>
    Pet: { $pet }, owner: { $other }.
msg-appointment-reminder-hour-owner =
    ⏰ <b>Your consultation is in an hour: { $time } { $zone }</b>
    { $pet } with { $other }. When it is time, press “Join the consultation”.
msg-appointment-reminder-hour-vet =
    ⏰ <b>Consultation in an hour: { $time } { $zone }</b>
    Pet: { $pet }, owner: { $other }.
