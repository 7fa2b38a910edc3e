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
