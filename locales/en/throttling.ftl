# Rate limits: too many messages in a row, and wrong invite links

msg-throttled = ⏳ That is a lot of messages at once. Please wait a moment — I am skipping the extra ones for now.
err-invite-too-many-attempts =
    { $minutes ->
        [one] ⏳ Too many wrong invite links. Please try again in { $minutes } minute.
       *[other] ⏳ Too many wrong invite links. Please try again in { $minutes } minutes.
    }
