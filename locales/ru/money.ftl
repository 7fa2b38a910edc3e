# Задача #10, правила денег: выход из окна оплаты, оплата отменённой брони,
# удаление аккаунта с записями, отмена врачом с причиной.

msg-money-hold-released = Запись отменена, время снова свободно. Этот счёт больше не действует — деньги не спишутся.
msg-money-booking-already-paid = Эта запись уже оплачена. Она в /appointments.
msg-money-booking-closed = Эта запись закрыта. Чтобы записаться снова, отправьте /book.

msg-money-paid-after-cancel-refunded = Вы отменили эту запись, поэтому оплата не принята: деньги возвращены полностью.
msg-money-paid-after-cancel-refund-pending = Вы отменили эту запись, поэтому оплата не принята. Мы возвращаем деньги — это может занять немного времени.
msg-money-paid-after-cancel-refund-failed = Вы отменили эту запись, поэтому оплата не принята, но вернуть деньги автоматически не удалось. Напишите в /paysupport — мы вернём деньги.

msg-money-vet-owner-left =
    ❌ { $owner } удалил(а) аккаунт: консультация { $date } { $time } { $zone } отменена. Питомец: { $pet }. Время снова свободно.

msg-money-vet-cancel-ask =
    Отменить консультацию { $start }? Владелец получит полный возврат.
    Выберите причину или напишите свою — владелец её прочтёт.
btn-money-vet-reason-ill = 🤒 Я заболел(а)
btn-money-vet-reason-emergency = 🚑 Срочный случай в клинике
btn-money-vet-reason-schedule = 📅 Изменилось расписание
lbl-money-vet-reason-ill = Врач заболел.
lbl-money-vet-reason-emergency = У врача срочный случай в клинике.
lbl-money-vet-reason-schedule = У врача изменилось расписание.
err-money-vet-reason-text = Напишите причину одним сообщением до { $max } символов или выберите ниже.
msg-money-owner-vet-reason = Причина: { $reason }
msg-money-move-keeps-deadline = Перенос не сдвигает срок возврата.
