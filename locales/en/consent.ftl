# Consent: what is kept before and after it (issue #10)
msg-consent-declined-forgotten =
    Without consent we cannot keep your pet's card or hold consultations, so we have removed what we knew about you (only your choice of language stays).

    If you change your mind, press the button below or send /start.
msg-export-nothing-stored = We keep no personal data about you: you have not given consent to data processing.
