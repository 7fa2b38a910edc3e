# /paysupport: the owner's question, the admins' copy, the answer (bot/handlers/support.py,
# dialogs/support, bot/support_notices.py).
msg-support-ask = ✍️ Please write your payment question in one message — a person will answer here.
msg-support-received = ✅ Question received, ticket <b>#{ $ticket }</b>. We will answer here, in this chat.
err-support-empty = Please type the question itself.
err-support-text-only = Please describe your question in text, in one message.
err-support-too-long = That is too long: { $limit } characters at most. Please shorten it and send again.
btn-support-cancel = ✖️ Cancel
btn-support-reply = ✍️ Reply
msg-support-question-staff =
    🆘 <b>Ticket #{ $ticket }</b> (/paysupport)
    From: { $name }, { $username }, id { $user_id }, language: { $language }

    { $question }

    <b>Recent payments</b>
    { $payments }
lbl-support-payment = • appointment { $appointment }: { $amount } { $currency }, { $status }
lbl-support-no-payments = no payments
lbl-support-payment-paid = paid
lbl-support-payment-refunded = refunded
lbl-support-payment-refund-failed = refund failed
lbl-support-payment-refund-pending = refund pending
msg-support-write-answer = ✍️ Write your answer to ticket #{ $ticket_id } in one message — the user gets it in their language.
msg-support-answer-sent = ✅ The answer to ticket #{ $ticket } was sent.
msg-support-answer-undelivered = ⚠️ The answer to ticket #{ $ticket } was not delivered: the user blocked the bot.
err-support-ticket-not-found = There is no such ticket — the user may have deleted their account.
err-support-staff-only = Only admins can answer tickets.
msg-support-answer =
    💬 <b>Support's answer to ticket #{ $ticket }</b>
    <i>Your question: { $question }</i>

    { $answer }

# /appointments: cancelled consultations whose time has not come yet.
msg-appointments-cancelled =
    <b>Cancelled</b>
    { $cancelled_text }
