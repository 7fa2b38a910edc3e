# Issue #10, money rules: leaving the paying window, payments for cancelled holds,
# account deletion with bookings, a vet's cancellation with a reason.

msg-money-hold-released = The booking is cancelled and the time is free again. That invoice no longer works — nothing will be charged.
msg-money-booking-already-paid = This booking is already paid. See it in /appointments.
msg-money-booking-closed = This booking is closed. To book again, use /book.

msg-money-paid-after-cancel-refunded = You had cancelled this booking, so the payment was not accepted: your money has been refunded in full.
msg-money-paid-after-cancel-refund-pending = You had cancelled this booking, so the payment was not accepted. We are refunding your money; it may take a little while.
msg-money-paid-after-cancel-refund-failed = You had cancelled this booking, so the payment was not accepted, and we could not refund automatically. Please write to /paysupport — we will return your money.

msg-money-vet-owner-left =
    ❌ { $owner } deleted their account: the consultation { $date } { $time } { $zone } with { $pet } is cancelled. The time is free again.

msg-money-vet-cancel-ask =
    Cancel the consultation { $start }? The owner gets a full refund.
    Choose a reason or type your own — the owner will read it.
btn-money-vet-reason-ill = 🤒 I am unwell
btn-money-vet-reason-emergency = 🚑 An emergency at the clinic
btn-money-vet-reason-schedule = 📅 My schedule changed
lbl-money-vet-reason-ill = The vet is unwell.
lbl-money-vet-reason-emergency = The vet has an emergency at the clinic.
lbl-money-vet-reason-schedule = The vet's schedule changed.
err-money-vet-reason-text = Type the reason in one message of up to { $max } characters, or choose one below.
msg-money-owner-vet-reason = Reason: { $reason }
msg-money-move-keeps-deadline = Moving it does not move the refund deadline.
