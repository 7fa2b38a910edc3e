# A payment the bot missed when it was made, found later in Telegram's records.
msg-reconcile-confirmed =
    ✅ <b>Your payment has reached us — the booking is confirmed.</b>

    { $pet } with { $vet }
    { $date } at { $time } { $zone }

    Sorry it took a while. The appointment is in /appointments.
msg-reconcile-refunded = Your payment for the consultation with { $vet } on { $date } at { $time } { $zone } reached us late, and that time is no longer available. Your Stars have been refunded in full. Please choose another time with /book.
msg-reconcile-refund-pending = Your payment for the consultation with { $vet } on { $date } at { $time } { $zone } reached us late, and that time is no longer available. We are refunding your Stars; it may take a little while. Please choose another time with /book.
msg-reconcile-refund-failed = Your payment for the consultation with { $vet } on { $date } at { $time } { $zone } reached us late, and that time is no longer available. We could not refund automatically: please write to /paysupport — we will return your Stars.
msg-reconcile-refunded-plain = A payment of yours reached us late and could not be used for a booking. Your Stars have been refunded in full.
msg-reconcile-refund-pending-plain = A payment of yours reached us late and could not be used for a booking. We are refunding your Stars; it may take a little while.
msg-reconcile-refund-failed-plain = A payment of yours reached us late and could not be used for a booking. We could not refund automatically: please write to /paysupport — we will return your Stars.
