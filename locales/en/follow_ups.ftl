# The question after a symptom check (bot/follow_up_sender.py), a day after 🟡 and two days
# after 🟢, and the answers to its buttons (bot/handlers/follow_ups.py).
msg-follow-up-question =
    🩺 How is <b>{ $name }</b> now?
    You checked on your pet's health recently — tell us what has changed.
btn-follow-up-better = 👍 Better
btn-follow-up-same = 😐 Same
btn-follow-up-worse = 👎 Worse → re-check
msg-follow-up-better =
    🩺 How is <b>{ $name }</b> now? — 👍 Better
    Thank you for letting us know! Glad things are improving. 💚
msg-follow-up-same =
    🩺 How is <b>{ $name }</b> now? — 😐 Same
    Keep watching for another day or two: appetite, drinking, toilet, activity. If it gets worse or something new appears, run a check again or see a vet. Laboured breathing, seizures, severe weakness or bleeding — go to a clinic at once.
msg-follow-up-worse =
    🩺 How is <b>{ $name }</b> now? — 👎 Worse
    Let's check again. Your earlier answers are already selected — change whatever is different now.
err-follow-up-not-found = There is no such question.
err-follow-up-answered = You have already answered this question.
err-follow-up-pet-gone = This pet is no longer among yours.
# A re-check ("Worse"): each question offers the earlier answer.
btn-check-as-before = ↩ As last time: { $earlier }
