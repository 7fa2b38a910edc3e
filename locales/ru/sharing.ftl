# Совместный доступ к питомцу: приглашения, кто видит, отзыв доступа, выход

btn-pet-sharing = 👥 Доступ
msg-sharing-main =
    👥 <b>{ $name }: кто видит карточку</b>

    { $members }

    Ваш доступ: { $level }
lbl-sharing-member = • { $member } — { $level }
lbl-sharing-member-you = • { $member } (вы) — { $level }
btn-sharing-invite-co-owner = ➕ Пригласить совладельца
btn-sharing-invite-viewer = 👀 Пригласить для просмотра (ситтер)
btn-sharing-revoke = 🚫 Закрыть доступ
btn-sharing-leave = 🚪 Покинуть питомца
msg-sharing-invite-link =
    { $level ->
        [co_owner] 🔗 <b>{ $name }: приглашение совладельца</b>. Совладелец может смотреть и редактировать карточку.
       *[viewer] 🔗 <b>{ $name }: приглашение для просмотра карточки</b>. Только чтение — удобно для ситтера.
    }

    Отправьте эту ссылку человеку. Она сработает один раз и действует { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
       *[other] { $hours } часов
    }:
    { $link }
msg-sharing-revoke-choose = { $name }: кому закрыть доступ?
lbl-sharing-revoke-item = { $member } — { $level }
msg-sharing-revoke-ask = Закрыть доступ? { $member } больше не увидит карточку «{ $name }».
btn-sharing-revoke-confirm = 🚫 Да, закрыть
msg-sharing-revoked = { $member } больше не видит карточку «{ $name }».
msg-sharing-leave-ask = Больше не видеть карточку «{ $name }»? Владелец сможет пригласить вас снова.
btn-sharing-leave-confirm = 🚪 Да, покинуть
msg-sharing-left = Вы больше не видите карточку «{ $name }».

## Переход по приглашению
msg-invite-accepted = 🎉 Вам открыт доступ к карточке «{ $name }»: { $level }.
msg-invite-already-had = У вас уже есть доступ к карточке «{ $name }» ({ $level }), ничего не изменилось.
err-invite-not-found = Эта ссылка-приглашение не работает. Попросите владельца прислать новую.
err-invite-expired = Срок действия приглашения истёк. Попросите владельца прислать новое.
err-invite-used = Этой ссылкой уже воспользовались: каждая работает только один раз. Попросите владельца прислать новую.
err-invite-own = Это ваша собственная ссылка-приглашение: отправьте её тому, с кем хотите поделиться питомцем.
# A member who joined by invite before agreeing to the data terms: no name is stored yet.
lbl-sharing-member-unnamed = Пользователь Telegram

## Кнопка «Поделиться» и уведомление владельцу
btn-sharing-share = 📤 Поделиться ссылкой
# Текст, который Telegram подставит рядом со ссылкой в выбранном чате.
lbl-sharing-share-text =
    { $level ->
        [co_owner] Приглашаю вас совладельцем карточки питомца «{ $name }» в Telemed-Pet:
       *[viewer] Приглашаю вас посмотреть карточку питомца «{ $name }» в Telemed-Pet:
    }
msg-sharing-invite-accepted-owner = 🎉 { $member } принял(а) приглашение к карточке «{ $name }»: { $level }.
