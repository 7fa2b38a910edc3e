# Reminders of the medical card's next-due dates (bot/reminder_sender.py) and the answers to
# their buttons (bot/handlers/reminders.py).
lbl-reminder-item-vaccination = прививка «{ $title }»
lbl-reminder-item-parasite-treatment = обработка от паразитов «{ $title }»
msg-reminder-before-7d = 🗓 <b>{ $name }</b> — через неделю, { DATE($due) }: { $item }.
msg-reminder-due = 💉 <b>{ $name }</b> — сегодня, { DATE($due) }: { $item }.
msg-reminder-overdue =
    ⏰ <b>{ $name }</b> — срок был { DATE($due) }: { $item }.
    Если уже сделали, нажмите «✅ Сделано».
msg-reminder-again = 🔔 <b>{ $name }</b> — напоминаем: { $item }, срок { DATE($due) }.
btn-reminder-done = ✅ Сделано
btn-reminder-snooze = ⏰ Напомнить завтра
btn-reminder-stop = 🔕 Не напоминать об этом
msg-reminder-done = ✅ Отлично! Добавьте новую запись в медкарту — с датой следующего срока, и мы напомним о нём.
msg-reminder-done-form = ✅ Отлично! Запишем новую дозу в медкарту: подтвердите название и дату, и мы напомним о следующем сроке.
msg-reminder-snoozed = ⏰ Хорошо, напомним { DATE($day) }.
msg-reminder-stopped = 🔕 Больше не напоминаем об этом.
err-reminder-not-found = Такого напоминания нет.
err-reminder-stale = Это напоминание уже неактуально.

# Reminders of a paid consultation, 24 h and 1 h before (bot/reminder_sender.py): $other is the
# vet's name for the owner, the owner's for the vet.
msg-appointment-reminder-day-owner =
    📅 <b>Напоминаем о консультации: { $date } в { $time } { $zone }</b>
    { $pet } — { $other }. Если планы изменились, перенести или отменить запись можно в «Мои записи».
msg-appointment-reminder-day-vet =
    📅 <b>Консультация: { $date } в { $time } { $zone }</b>
    Питомец: { $pet }, владелец: { $other }.
msg-appointment-reminder-hour-owner =
    ⏰ <b>Через час консультация: { $time } { $zone }</b>
    { $pet } — { $other }. Когда придёт время, нажмите «Войти в консультацию».
msg-appointment-reminder-hour-vet =
    ⏰ <b>Через час консультация: { $time } { $zone }</b>
    Питомец: { $pet }, владелец: { $other }.
