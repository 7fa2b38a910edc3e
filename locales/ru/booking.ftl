## Запись на консультацию, оплата и записи владельца.

cmd-appointments = Мои записи
cmd-paysupport = Оплата и возвраты

lbl-booking-weekday-mon = Пн
lbl-booking-weekday-tue = Вт
lbl-booking-weekday-wed = Ср
lbl-booking-weekday-thu = Чт
lbl-booking-weekday-fri = Пт
lbl-booking-weekday-sat = Сб
lbl-booking-weekday-sun = Вс

btn-booking-cancel = ✖️ Отменить запись
btn-booking-add-pet = 🐾 Мои питомцы
btn-booking-attach-check = 📎 Приложить проверку симптомов
btn-booking-skip-reason = Пропустить ▶️
btn-booking-pay = 💳 Оплатить
btn-booking-other-time = 🕒 Выбрать другое время

msg-booking-pet = 📅 <b>Запись к ветеринару</b>

    Для кого консультация?
msg-booking-no-pets = 📅 Чтобы записаться, сначала добавьте питомца (записывать можно своих питомцев и тех, кем вы владеете вместе).
msg-booking-reason =
    Что случилось? Опишите одним сообщением — врач прочитает это перед консультацией.
msg-booking-recent-check =
    🩺 Недавний опросник симптомов — { $pet }, { $date }: { $level }.
    Приложить его к записи? Ветеринар увидит ответы, уровень срочности и фото.
lbl-booking-check-level = { $urgency ->
        [high] 🔴 высокая срочность
        [medium] 🟡 средняя срочность
        [low] 🟢 низкая срочность
       *[none] ⏳ ещё анализируется
    }
msg-booking-recent-check-gone = Этот опросник больше недоступен. Продолжим без него.
btn-booking-attach-recent = 📎 Приложить
btn-booking-skip-recent = Не прикладывать
msg-booking-reason-with-check = 📎 Опросник приложен. Добавьте пару слов о причине обращения или нажмите «Пропустить».
msg-booking-vets = Выберите врача (сначала те, у кого раньше есть время):
msg-booking-vet-item =
    <b>{ $name }</b>
    Языки: { $languages } · { $price } · { $minutes } мин
    { $experience }
    Ближайшее время: { $date } { $time } { $zone }
    { $bio }
lbl-booking-vet-years = Стаж: { $years } { $years ->
    [one] год
    [few] года
   *[other] лет
}
msg-booking-no-vets = В ближайшие дни нет свободного времени у врачей для этого питомца. Попробуйте позже.
msg-booking-day = Выберите день:
lbl-booking-times-in = 🕒 Время указано по { $zone }.
msg-booking-no-days = У этого врача не осталось свободных дней. Вернитесь и выберите другого врача.
msg-booking-slot = { $date } — выберите время:
msg-booking-no-slots = На { $date } свободного времени не осталось. Выберите другой день.
msg-booking-summary =
    <b>Ваша запись</b>

    Врач: { $vet }
    Питомец: { $pet }
    Когда: { $date } { $time } { $zone }, { $minutes } мин
    Причина: { $reason }
    Стоимость: { $price }

    После «Оплатить» время держится за вами { $hold_minutes } мин, пока вы платите.
msg-booking-check-attached = 📎 Проверка симптомов будет передана врачу вместе с записью.
msg-booking-slot-gone = Это время уже занято. Вернитесь и выберите другое.
msg-booking-invoice-sent =
    Счёт выше. Время держится за вами до { $until } — оплатите до этого.
    Сразу после оплаты здесь придёт подтверждение.

err-booking-reason-text = Опишите причину текстовым сообщением или воспользуйтесь кнопками.
err-booking-recent-check-choice = Приложить опросник к записи? Ответьте кнопкой ниже ⬇️
err-booking-reason-too-long = Опишите причину одним текстовым сообщением до { $max } символов.
err-booking-slot-taken = Извините, это время только что заняли. Вот другое свободное время.
err-booking-slot-unavailable = Это время больше недоступно. Вот другое свободное время.
err-booking-pet-unavailable = Записать этого питомца больше нельзя. Выберите питомца.
err-booking-payment-unavailable = Оплата сейчас недоступна. Попробуйте позже или напишите в /paysupport.
err-booking-pay-invoice = Оплатите счёт выше или воспользуйтесь кнопками.

lbl-booking-invoice-title = Видеоконсультация ветеринара
lbl-booking-invoice-description = Онлайн-консультация: { $vet }, { $date } { $time } { $zone }.
lbl-booking-invoice-price = Консультация

err-payment-unknown-invoice = Этот счёт больше не действует. Запишитесь заново: /book.
err-payment-not-yours = Этот счёт выставлен другому человеку. Запишитесь сами: /book.
err-payment-hold-expired = Время, отложенное для вас, истекло. Выберите время заново: /book.
err-payment-slot-taken = Извините, это время только что занял другой человек. Выберите другое: /book.
err-payment-slot-unavailable = Это время больше недоступно. Выберите другое: /book.
err-payment-already-paid = Эта консультация уже оплачена.
err-payment-cancelled = Эта запись отменена. Запишитесь заново: /book.
err-payment-price-changed = Стоимость изменилась. Запишитесь заново: /book.
err-payment-failed = Что-то пошло не так. Попробуйте ещё раз через минуту.

msg-payment-confirmed =
    ✅ <b>Вы записаны!</b>

    { $pet } — { $vet }
    { $date } в { $time } { $zone }

    📹 Консультация — видеозвонок прямо в Telegram: за { $join_minutes } мин до начала сюда придёт сообщение с кнопкой «Войти в консультацию» (она появится и в /appointments).
    { $refund }

    Ваши записи: /appointments
msg-payment-refund-until = ↩️ Полный возврат, если отменить до { $refund_date } { $refund_time } { $zone } — за { $cutoff_hours } ч до начала; позже возврата нет. Если врач отменит консультацию или не подключится, деньги вернутся автоматически.
msg-payment-refund-none = ↩️ До начала меньше { $cutoff_hours } ч, поэтому при отмене деньги не возвращаются. Если врач отменит консультацию или не подключится, деньги вернутся автоматически.
msg-payment-refunded = Извините — это время заняли, пока проходила ваша оплата. Деньги полностью возвращены. Выберите, пожалуйста, другое время.
msg-payment-refund-pending = Извините — это время заняли, пока проходила ваша оплата. Мы возвращаем деньги, это может занять немного времени. Выберите, пожалуйста, другое время.
msg-payment-refund-failed = Извините — это время заняли, пока проходила ваша оплата, и вернуть деньги автоматически не получилось. Напишите в /paysupport — мы вернём деньги.
msg-payment-support =
    <b>Оплата и возвраты</b>

    • Консультация оплачивается звёздами Telegram при записи.
    • Отмена не позднее чем за { $cutoff_hours } ч до начала в /appointments — вся сумма вернётся автоматически.
    • Если врач отменил консультацию или не пришёл, или ваше время заняли во время оплаты, деньги вернутся полностью автоматически.
    • Возврат приходит туда, откуда вы платили.

    Другой вопрос об оплате: напишите его здесь, в этом чате, начав с /paysupport, и вам ответит человек.

msg-appointments-upcoming = 📅 <b>Ваши предстоящие записи</b> — выберите, чтобы посмотреть или отменить:
msg-appointments-none = 📅 Предстоящих записей нет.
msg-appointments-past =
    <b>Прошедшие</b>
    { $past_text }
msg-appointment-past-item = • { $item } — { $status }
btn-appointment-book = 📅 Записаться к врачу
btn-appointment-close = ✖️ Закрыть
msg-appointment-card =
    <b>Запись</b>

    Врач: { $vet }
    Питомец: { $pet }
    Когда: { $date } { $time } { $zone }
    Причина: { $reason }
    Стоимость: { $price }
    Статус: { $status }

    Чтобы перенести запись, выберите другое время — оплата сохранится.
btn-appointment-cancel = ✖️ Отменить запись
msg-appointment-cancel-confirm =
    Отменить запись на { $date } в { $time }? Врач: { $vet }.

    При отмене не позднее чем за { $cutoff_hours } ч до начала деньги вернутся полностью; позже — без возврата.
btn-appointment-cancel-yes = Да, отменить
btn-appointment-cancel-no = Нет, оставить
msg-appointment-cancelled-unpaid = Запись отменена.
msg-appointment-cancelled-no-refund = Запись отменена. До начала оставалось меньше срока возврата, поэтому деньги не возвращаются.
msg-appointment-cancelled-refunded = Запись отменена, оплата полностью возвращена.
msg-appointment-cancelled-refund-pending = Запись отменена. Возврат в пути, это может занять немного времени.
msg-appointment-cancelled-refund-failed = Запись отменена, но вернуть деньги не получилось. Напишите в /paysupport — мы вернём деньги.
err-appointment-not-cancellable = Эту запись уже нельзя отменить.
err-appointment-not-found = Эта запись недоступна.

lbl-appointment-status-held = ждёт оплаты
lbl-appointment-status-confirmed = подтверждена
lbl-appointment-status-cancelled-by-owner = отменена вами
lbl-appointment-status-cancelled-by-vet = отменена врачом
lbl-appointment-status-completed = состоялась
lbl-appointment-status-no-show-vet = врач не подключился (деньги возвращены)
lbl-appointment-status-expired = не оплачена

msg-appointment-vet-booked =
    📅 Новая запись: { $date } { $time } { $zone }
    Питомец: { $pet } ({ $species }), владелец: { $owner }
    Причина: { $reason }
msg-appointment-vet-cancelled =
    ✖️ Владелец отменил запись: { $date } { $time } { $zone }
    Питомец: { $pet } ({ $species }), владелец: { $owner }
msg-appointment-owner-vet-cancelled-refunded = Ветеринар { $vet } отменил консультацию { $date } в { $time } { $zone }, питомец: { $pet }. Просим прощения. Оплата возвращена полностью — выберите, пожалуйста, другое время.
msg-appointment-owner-vet-cancelled-refund-pending = Ветеринар { $vet } отменил консультацию { $date } в { $time } { $zone }, питомец: { $pet }. Просим прощения. Возврат оплаты уже в пути — выберите, пожалуйста, другое время.
msg-appointment-owner-vet-cancelled-refund-failed = Ветеринар { $vet } отменил консультацию { $date } в { $time } { $zone }, питомец: { $pet }. Просим прощения. Автоматический возврат не прошёл: напишите в /paysupport, и мы вернём деньги.
msg-appointment-owner-vet-cancelled-not-paid = Ветеринар { $vet } отменил время, которое вы держали: { $date } в { $time } { $zone }, питомец: { $pet }. Выберите, пожалуйста, другое время.
msg-appointment-owner-vet-no-show = Просим прощения: ветеринар { $vet } не подключился к консультации { $date } в { $time } { $zone }, питомец: { $pet }. Оплата возвращается полностью. Выберите, пожалуйста, другое время — или напишите в /paysupport.
btn-booking-move = 🔁 Перенести запись сюда
btn-appointment-reschedule = 🔁 Выбрать другое время
msg-appointment-moved = 🔁 Перенесено: консультация теперь { $date } в { $time } { $zone }, врач: { $vet }. Оплата сохраняется.
msg-appointment-vet-moved = 🔁 Владелец перенёс консультацию: { $pet } ({ $species }) теперь { $date } в { $time } { $zone }. Причина: { $reason }
err-appointment-not-movable = Эту запись уже нельзя перенести: консультация началась или отменена.
lbl-booking-vets-page = Страница { $vets_page } из { $vets_pages }
