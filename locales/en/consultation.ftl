## The video consultation: the Join messages the scheduler sends and the Join button.

btn-consultation-join = 📹 Join the consultation

msg-consultation-join-owner =
    📹 <b>Your consultation is about to start</b>

    { $pet } with { $vet }
    { $date } at { $time } { $zone }

    Press “Join the consultation”: the call opens right here in Telegram. Allow the camera and the microphone when asked.
msg-consultation-join-vet =
    📹 <b>Consultation soon: { $date } { $time } { $zone }</b>

    Pet: { $pet }, owner: { $owner }
    Reason: { $reason }

    Press “Join the consultation” to open the call.
msg-consultation-room-failed-owner =
    ⚠️ We are sorry: the video call is not ready yet. Consultation: { $pet } with { $vet }, { $date } at { $time } { $zone }.

    We keep trying: the “Join the consultation” button comes here as soon as the call is ready. If the consultation cannot take place, your payment is refunded in full.
msg-consultation-room-failed-vet =
    ⚠️ The video call of { $date } { $time } { $zone } is not ready yet. Pet: { $pet }, owner: { $owner }.

    We keep trying: the “Join the consultation” button comes here as soon as the call is ready. The owner has been told.
