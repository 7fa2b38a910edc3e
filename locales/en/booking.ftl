## Booking a consultation, payments and the owner's appointments.

cmd-appointments = My appointments
cmd-paysupport = Payments and refunds

lbl-booking-weekday-mon = Mon
lbl-booking-weekday-tue = Tue
lbl-booking-weekday-wed = Wed
lbl-booking-weekday-thu = Thu
lbl-booking-weekday-fri = Fri
lbl-booking-weekday-sat = Sat
lbl-booking-weekday-sun = Sun

btn-booking-cancel = ✖️ Cancel booking
btn-booking-add-pet = 🐾 My pets
btn-booking-attach-check = 📎 Attach my symptom check
btn-booking-skip-reason = Skip ▶️
btn-booking-pay = 💳 Pay
btn-booking-other-time = 🕒 Choose another time

msg-booking-pet = 📅 <b>Book a vet</b>

    Whom is the consultation for?
msg-booking-no-pets = 📅 To book a consultation, add a pet first (you can book for your own pets and those you co-own).
msg-booking-reason =
    What is the matter? Describe it in a message — the vet reads it before the consultation.
msg-booking-recent-check =
    🩺 A recent symptom check — { $pet }, { $date }: { $level }.
    Attach it to the booking? The vet will see the answers, the urgency and the photos.
lbl-booking-check-level = { $urgency ->
        [high] 🔴 high urgency
        [medium] 🟡 medium urgency
        [low] 🟢 low urgency
       *[none] ⏳ still being analysed
    }
msg-booking-recent-check-gone = That symptom check is no longer available. Let's go on without it.
btn-booking-attach-recent = 📎 Attach
btn-booking-skip-recent = Don't attach
msg-booking-reason-with-check = 📎 The symptom check is attached. Add a few words about the reason, or press “Skip”.
msg-booking-vets = Choose a vet (soonest free time first):
msg-booking-vet-item =
    <b>{ $name }</b>
    Languages: { $languages } · { $price } · { $minutes } min
    { $experience }
    First free time: { $date } { $time } { $zone }
    { $bio }
lbl-booking-vet-years = { $years ->
    [one] { $years } year of practice
   *[other] { $years } years of practice
}
msg-booking-no-vets = No vet has free time for this pet in the coming days. Please try again later.
msg-booking-day = Choose a day:
lbl-booking-times-in = 🕒 Times are in { $zone }.
msg-booking-no-days = This vet has no free days left. Go back and choose another vet.
msg-booking-slot = { $date } — choose a time:
msg-booking-no-slots = No free time left on { $date }. Choose another day.
msg-booking-summary =
    <b>Your booking</b>

    Vet: { $vet }
    Pet: { $pet }
    When: { $date } { $time } { $zone }, { $minutes } min
    Reason: { $reason }
    Price: { $price }

    After “Pay” the time is held for you for { $hold_minutes } min while you pay.
msg-booking-check-attached = 📎 The symptom check goes to the vet with the booking.
msg-booking-slot-gone = This time is no longer free. Go back and choose another one.
msg-booking-invoice-sent =
    The invoice is above. The time is held for you until { $until } — pay before then.
    You will get a confirmation here right after paying.

err-booking-reason-text = Describe the reason in a text message, or use the buttons.
err-booking-recent-check-choice = Attach the symptom check to the booking? Answer with a button below ⬇️
err-booking-reason-too-long = Please describe the reason in one text message of up to { $max } characters.
err-booking-slot-taken = Sorry, someone has just booked this time. Here are the other free times.
err-booking-slot-unavailable = This time is no longer available. Here are the other free times.
err-booking-pet-unavailable = You cannot book for this pet any more. Choose a pet.
err-booking-payment-unavailable = Payments are not available right now. Please try again later or write to /paysupport.
err-booking-pay-invoice = Pay the invoice above, or use the buttons.

lbl-booking-invoice-title = Vet video consultation
lbl-booking-invoice-description = Online consultation with { $vet }, { $date } { $time } { $zone }.
lbl-booking-invoice-price = Consultation

err-payment-unknown-invoice = This invoice is not valid any more. Book again with /book.
err-payment-not-yours = This invoice belongs to someone else. Book with /book.
err-payment-hold-expired = The time held for you has run out. Choose the time again with /book.
err-payment-slot-taken = Sorry, this time has just been booked by someone else. Choose another time with /book.
err-payment-slot-unavailable = This time is no longer available. Choose another time with /book.
err-payment-already-paid = This consultation is paid already.
err-payment-cancelled = This booking was cancelled. Book again with /book.
err-payment-price-changed = The price has changed. Book again with /book.
err-payment-failed = Something went wrong. Please try again in a minute.

msg-payment-confirmed =
    ✅ <b>Booked!</b>

    { $pet } with { $vet }
    { $date } at { $time } { $zone }

    📹 The consultation is a video call right here in Telegram: { $join_minutes } min before the start you get a message with a “Join the consultation” button (it is in /appointments then too).
    { $refund }

    Your bookings: /appointments
msg-payment-refund-until = ↩️ Full refund if you cancel by { $refund_date } { $refund_time } { $zone }, { $cutoff_hours } h before the start; later, no refund. If the vet cancels or does not join, the refund is automatic.
msg-payment-refund-none = ↩️ The start is less than { $cutoff_hours } h away, so cancelling brings no refund. If the vet cancels or does not join, the refund is automatic.
msg-payment-refunded = Sorry — this time was taken by someone else before your payment came through. Your money has been refunded in full. Please choose another time.
msg-payment-refund-pending = Sorry — this time was taken before your payment came through. We are refunding your money; it may take a little while. Please choose another time.
msg-payment-refund-failed = Sorry — this time was taken before your payment came through, and we could not refund automatically. Please write to /paysupport — we will return your money.
msg-payment-support =
    <b>Payments and refunds</b>

    • You pay for a consultation in Telegram Stars when you book it.
    • Cancel at least { $cutoff_hours } h before the start in /appointments — the full amount comes back automatically.
    • If the vet cancels or does not join, or your time was taken while you paid, you get a full refund automatically.
    • A refund goes back to the balance you paid from.

    Any other question about a payment: write it here in this chat, starting with /paysupport, and a person will answer you.

msg-appointments-upcoming = 📅 <b>Your upcoming appointments</b> — choose one to see or cancel it:
msg-appointments-none = 📅 You have no upcoming appointments.
msg-appointments-past =
    <b>Past</b>
    { $past_text }
msg-appointment-past-item = • { $item } — { $status }
btn-appointment-book = 📅 Book a vet
btn-appointment-close = ✖️ Close
msg-appointment-card =
    <b>Appointment</b>

    Vet: { $vet }
    Pet: { $pet }
    When: { $date } { $time } { $zone }
    Reason: { $reason }
    Price: { $price }
    Status: { $status }

    To move it, choose another time: the payment goes with it.
btn-appointment-cancel = ✖️ Cancel appointment
msg-appointment-cancel-confirm =
    Cancel the appointment with { $vet } on { $date } at { $time }?

    Cancelling at least { $cutoff_hours } h before the start refunds the full amount; later, there is no refund.
btn-appointment-cancel-yes = Yes, cancel
btn-appointment-cancel-no = No, keep it
msg-appointment-cancelled-unpaid = The booking is cancelled.
msg-appointment-cancelled-no-refund = The appointment is cancelled. It was less than the refund period before the start, so there is no refund.
msg-appointment-cancelled-refunded = The appointment is cancelled and your payment has been refunded in full.
msg-appointment-cancelled-refund-pending = The appointment is cancelled. The refund is on its way; it may take a little while.
msg-appointment-cancelled-refund-failed = The appointment is cancelled, but the refund did not go through. Please write to /paysupport — we will return your money.
err-appointment-not-cancellable = This appointment cannot be cancelled any more.
err-appointment-not-found = This appointment is not available.

lbl-appointment-status-held = awaiting payment
lbl-appointment-status-confirmed = confirmed
lbl-appointment-status-cancelled-by-owner = cancelled by you
lbl-appointment-status-cancelled-by-vet = cancelled by the vet
lbl-appointment-status-completed = completed
lbl-appointment-status-no-show-vet = the vet did not join (refunded)
lbl-appointment-status-expired = not paid

msg-appointment-vet-booked =
    📅 New appointment: { $date } { $time } { $zone }
    Pet: { $pet } ({ $species }), owner: { $owner }
    Reason: { $reason }
msg-appointment-vet-cancelled =
    ✖️ Appointment cancelled by the owner: { $date } { $time } { $zone }
    Pet: { $pet } ({ $species }), owner: { $owner }
msg-appointment-owner-vet-cancelled-refunded = The vet { $vet } had to cancel the consultation for { $pet } on { $date } at { $time } { $zone }. We are sorry. Your payment has been refunded in full — please choose another time.
msg-appointment-owner-vet-cancelled-refund-pending = The vet { $vet } had to cancel the consultation for { $pet } on { $date } at { $time } { $zone }. We are sorry. The refund is on its way — please choose another time.
msg-appointment-owner-vet-cancelled-refund-failed = The vet { $vet } had to cancel the consultation for { $pet } on { $date } at { $time } { $zone }. We are sorry. The automatic refund did not go through: please write to /paysupport and we will return your money.
msg-appointment-owner-vet-cancelled-not-paid = The vet { $vet } had to cancel the time you were holding for { $pet } on { $date } at { $time } { $zone }. Please choose another time.
msg-appointment-owner-vet-no-show = We are sorry: the vet { $vet } did not join the consultation for { $pet } on { $date } at { $time } { $zone }. Your payment is being refunded in full. Please choose another time — or write to /paysupport.
btn-booking-move = 🔁 Move my appointment here
btn-appointment-reschedule = 🔁 Choose another time
msg-appointment-moved = 🔁 Moved: your consultation with { $vet } is now { $date } at { $time } { $zone }. The payment stays with it.
msg-appointment-vet-moved = 🔁 An owner moved their consultation: { $pet } ({ $species }) is now { $date } at { $time } { $zone }. Reason: { $reason }
err-appointment-not-movable = This appointment can no longer be moved: it has started, or was cancelled.
lbl-booking-vets-page = Page { $vets_page } of { $vets_pages }
