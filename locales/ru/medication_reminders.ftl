# Приёмы лекарств: шаг формы с временем приёмов (dialogs/records), напоминание о приёме с
# кнопкой «Дано ✓» (bot/medication_sender.py) и ответы на неё (bot/handlers/medication.py).
msg-record-ask-dose-times = Во сколько давать? Напишите время приёмов, например «8:00 20:00», или нажмите кнопку — в это время придёт напоминание (вам и совладельцам). Без напоминаний — «{ btn-record-times-skip }».
btn-record-times-once = 09:00
btn-record-times-twice = 09:00 + 21:00
btn-record-times-thrice = 08:00 + 14:00 + 20:00
btn-record-times-skip = Без напоминаний ⏭
err-record-times-unreadable = Не удалось разобрать время. Напишите время приёмов через пробел, например «8:00 20:00» или «9 21».
err-record-times-too-many = Не больше { $max } приёмов в день.
lbl-record-view-dose-times = ⏰ Напоминать в: { $times }
msg-medication-dose = 💊 <b>{ $name }</b>: { $drug }, { $dose } — приём в { $time }
msg-medication-missed = ⏰ <b>{ $name }</b>: приём { $drug } в { $time } не отмечен как данный.
btn-medication-given = Дано ✓
msg-medication-given = ✓ Дано в { $at }
msg-medication-given-by = ✓ Дал(а) { $by } в { $at }
msg-medication-already-given = Этот приём уже отметил(а) { $by } в { $at }.
