# Sharing a pet: invite links, who has access, revoking, leaving

btn-pet-sharing = 👥 Sharing
msg-sharing-main =
    👥 <b>Who can see { $name }</b>

    { $members }

    Your access: { $level }
lbl-sharing-member = • { $member } — { $level }
lbl-sharing-member-you = • { $member } (you) — { $level }
btn-sharing-invite-co-owner = ➕ Invite a co-owner
btn-sharing-invite-viewer = 👀 Invite a viewer (pet sitter)
btn-sharing-revoke = 🚫 Revoke access
btn-sharing-leave = 🚪 Leave this pet
msg-sharing-invite-link =
    { $level ->
        [co_owner] 🔗 <b>Co-owner invite for { $name }</b>. A co-owner can view and edit the card.
       *[viewer] 🔗 <b>Viewer invite for { $name }</b>. A viewer can only read the card — handy for a pet sitter.
    }

    Send this link to the person. It works once, for { $hours } hours:
    { $link }
msg-sharing-revoke-choose = Whose access to { $name } should be revoked?
lbl-sharing-revoke-item = { $member } — { $level }
msg-sharing-revoke-ask = Revoke { $member }'s access to { $name }?
btn-sharing-revoke-confirm = 🚫 Yes, revoke
msg-sharing-revoked = { $member } no longer has access to { $name }.
msg-sharing-leave-ask = Stop seeing { $name }'s card? The owner can invite you again.
btn-sharing-leave-confirm = 🚪 Yes, leave
msg-sharing-left = You no longer see { $name }'s card.

## Opening an invite link
msg-invite-accepted = 🎉 { $name }'s card is now shared with you: { $level }.
msg-invite-already-had = You already have access to { $name } ({ $level }); nothing changed.
err-invite-not-found = This invite link doesn't work. Ask the owner for a new one.
err-invite-expired = This invite link has expired. Ask the owner for a new one.
err-invite-used = This invite link has already been used. Each link works only once — ask the owner for a new one.
err-invite-own = This is your own invite link: send it to the person you want to share the pet with.
# A member who joined by invite before agreeing to the data terms: no name is stored yet.
lbl-sharing-member-unnamed = Telegram user

## The Share button and the owner's notice
btn-sharing-share = 📤 Share the link
# The text Telegram puts next to the link in the chat the owner picks.
lbl-sharing-share-text =
    { $level ->
        [co_owner] Join me as a co-owner of { $name }'s card on Telemed-Pet:
       *[viewer] Here is { $name }'s card on Telemed-Pet for you to see:
    }
msg-sharing-invite-accepted-owner = 🎉 { $member } accepted the invite to { $name }'s card: { $level }.
