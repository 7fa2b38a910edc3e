# /paysupport: the owner's question, the admins' copy, the answer (bot/handlers/support.py,
# dialogs/support, bot/support_notices.py).
msg-support-ask = ✍️ Напишите ваш вопрос об оплате одним сообщением — ответит человек, здесь же.
msg-support-received = ✅ Вопрос получен, номер обращения — <b>#{ $ticket }</b>. Мы ответим здесь, в этом чате.
err-support-empty = Напишите, пожалуйста, сам вопрос текстом.
err-support-text-only = Пожалуйста, опишите вопрос текстом, одним сообщением.
err-support-too-long = Слишком длинно: не больше { $limit } символов. Сократите, пожалуйста, и отправьте снова.
btn-support-cancel = ✖️ Отмена
btn-support-reply = ✍️ Ответить
msg-support-question-staff =
    🆘 <b>Обращение #{ $ticket }</b> (/paysupport)
    От: { $name }, { $username }, id { $user_id }, язык: { $language }

    { $question }

    <b>Последние оплаты</b>
    { $payments }
lbl-support-payment = • запись { $appointment }: { $amount } { $currency }, { $status }
lbl-support-no-payments = оплат нет
lbl-support-payment-paid = оплачено
lbl-support-payment-refunded = возвращено
lbl-support-payment-refund-failed = возврат не прошёл
lbl-support-payment-refund-pending = возврат в процессе
msg-support-write-answer = ✍️ Напишите ответ на обращение #{ $ticket_id } одним сообщением — он придёт пользователю на его языке.
msg-support-answer-sent = ✅ Ответ на обращение #{ $ticket } отправлен.
msg-support-answer-undelivered = ⚠️ Ответ на обращение #{ $ticket } не доставлен: пользователь заблокировал бота.
err-support-ticket-not-found = Такого обращения нет — возможно, пользователь удалил аккаунт.
err-support-staff-only = Отвечать на обращения могут только администраторы.
msg-support-answer =
    💬 <b>Ответ поддержки на обращение #{ $ticket }</b>
    <i>Ваш вопрос: { $question }</i>

    { $answer }

# /appointments: cancelled consultations whose time has not come yet.
msg-appointments-cancelled =
    <b>Отменённые</b>
    { $cancelled_text }
