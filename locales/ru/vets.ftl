# Врачи: приглашение, профиль, проверка, расписание, день и очередь

cmd-vet-today = Консультации сегодня
cmd-vet-schedule = Моё расписание
cmd-vet-queue = Ближайшие консультации (7 дней)

err-vet-only = Эта команда только для врачей. Если вы врач, попросите у администратора ссылку-приглашение.
err-vet-admin-only = Это доступно только администраторам.
err-vet-text-expected = Пришлите ответ текстом или воспользуйтесь кнопками.
err-vet-photo-expected = Пришлите фотографию или пропустите этот шаг кнопкой.

# Приглашения
msg-vet-invite-link =
    🔗 <b>Приглашение для врача</b>

    Отправьте эту ссылку врачу. Она сработает один раз в течение { $hours } ч.:
    { $link }
msg-vet-invite-accepted =
    🩺 Добро пожаловать в Telemed-Pet! Вы зарегистрированы как врач.

    Заполните профиль: владельцы увидят его после проверки администратором. Анкета открывается командой /vet_profile, часы приёма — командой /schedule.
err-vet-invite-not-found = Эта ссылка-приглашение недействительна. Попросите у администратора новую.
err-vet-invite-expired = Срок действия ссылки-приглашения истёк. Попросите у администратора новую.
err-vet-invite-used = Этой ссылкой-приглашением уже воспользовались.
err-vet-invite-already-vet = У вас уже есть профиль врача: откройте его командой /vet_profile.

# Анкета
msg-vet-form-header = 🩺 <b>Профиль врача</b> · шаг { $step } из { $total }
msg-vet-ask-name = Как к вам обращаться? Пришлите полное имя, как оно будет в профиле.
msg-vet-ask-photo = Пришлите фото для профиля (лучше портрет) или пропустите этот шаг.
msg-vet-ask-specialisations = Ваши специализации? Например: терапия, дерматология, кардиология.
msg-vet-ask-species = С какими животными вы работаете? Отметьте нужные и нажмите «Готово».
msg-vet-ask-languages = На каких языках вы консультируете? Отметьте нужные и нажмите «Готово».
msg-vet-ask-years = Сколько лет вы практикуете? Пришлите число, например 7.
msg-vet-ask-price = Стоимость одной консультации в Telegram Stars ⭐ (целое число от 1 до 100000).
msg-vet-ask-zone = Ваш часовой пояс: в нём указываются часы приёма, а владельцы видят их в своём. Сейчас: <b>{ $current_zone }</b>. Выберите пояс или пришлите его название, например <code>Asia/Omsk</code>.
btn-vet-zone-keep = Оставить текущий
msg-vet-ask-bio = Коротко о себе для владельцев (до 500 символов) или пропустите этот шаг.
btn-vet-skip = Пропустить ⏭
btn-vet-done = ✅ Готово
btn-vet-submit = 📨 Отправить на проверку
lbl-vet-language-ru = 🇷🇺 Русский
lbl-vet-language-en = 🇬🇧 Английский
lbl-vet-no-bio = —
lbl-vet-photo-yes = 📷 фото добавлено
lbl-vet-photo-no = без фото
msg-vet-summary =
    🩺 <b>Проверьте профиль</b>

    <b>{ $name }</b>
    Специализации: { $specialisations }
    Животные: { $species }
    Языки: { $languages }
    Стаж, лет: { $years }
    Стоимость: { $price } ⭐
    О себе: { $bio }
    Часовой пояс: { $zone }
    Фото: { $photo }
msg-vet-submitted = 📨 Профиль отправлен. Администратор проверит его, и мы сообщим вам.
msg-vet-saved = ✅ Профиль обновлён.
err-vet-name-empty = Имя не может быть пустым.
err-vet-name-too-long = Слишком длинное имя: не больше { $limit } символов.
err-vet-specialisations-empty = Укажите хотя бы одну специализацию.
err-vet-specialisations-too-long = Слишком длинно: не больше { $limit } символов.
err-vet-species-empty = Отметьте хотя бы один вид животных.
err-vet-languages-empty = Отметьте хотя бы один язык.
err-vet-language-unknown = Выберите языки кнопками.
err-vet-years-unreadable = Пришлите стаж целым числом, например 7.
err-vet-years-out-of-range = Стаж должен быть от 0 до { $limit } лет.
err-vet-price-unreadable = Пришлите стоимость целым числом звёзд, например 500.
err-vet-price-out-of-range = Стоимость должна быть от 1 до { $limit } звёзд.
err-vet-bio-too-long = Слишком длинный текст: не больше { $limit } символов.
err-vet-zone-unknown = Такой часовой пояс мне неизвестен. Пришлите название вроде <code>Europe/Moscow</code> или <code>Asia/Omsk</code>.

# Проверка (администраторы)
msg-vet-pending-list = 🗂 <b>Профили на проверке</b>: { $count }
msg-vet-pending-empty = 🗂 Профилей на проверке нет.
msg-vet-pending-card =
    🩺 <b>{ $name }</b> ({ $account })

    Специализации: { $specialisations }
    Животные: { $species }
    Языки: { $languages }
    Стаж, лет: { $years }
    Стоимость: { $price } ⭐
    Часовой пояс: { $zone }
    О себе: { $bio }
btn-vet-verify = ✅ Подтвердить
btn-vet-reject = ❌ Отклонить
msg-vet-verified-admin = ✅ Профиль врача подтверждён: { $name }. Владельцы уже могут записаться.
msg-vet-rejected-admin = ❌ Профиль врача отклонён: { $name }.
msg-vet-verified-you = ✅ Ваш профиль врача подтверждён: владельцы видят вас и могут записаться на свободное время. Часы приёма — /schedule.
msg-vet-rejected-you = Ваш профиль врача не одобрен. Свяжитесь с администратором.
err-vet-pending-not-found = Этот профиль уже не ждёт проверки.
err-vet-photo-unavailable = Этого фото в Telegram больше нет. Если оно нужно, попросите врача прислать его снова.

# Расписание (/schedule)
msg-vet-schedule =
    🗓 <b>Моё расписание</b> · время { $zone }

    { $template }

    ⏱ Консультация: { $length } мин., затем пауза { $buffer } мин.

    <b>Выходные и дополнительные часы</b>
    { $exceptions }
msg-vet-schedule-unverified = ℹ️ Профиль ещё не проверен: владельцы увидят это время после проверки администратором.
lbl-vet-weekday-mon = Понедельник
lbl-vet-weekday-tue = Вторник
lbl-vet-weekday-wed = Среда
lbl-vet-weekday-thu = Четверг
lbl-vet-weekday-fri = Пятница
lbl-vet-weekday-sat = Суббота
lbl-vet-weekday-sun = Воскресенье
lbl-vet-schedule-day = { $day }: { $hours }
lbl-vet-schedule-day-off = выходной
lbl-vet-exception-off = 🏖 { $date } { $start }–{ $end }: выходной
lbl-vet-exception-extra = ➕ { $date } { $start }–{ $end }: дополнительные часы
lbl-vet-no-exceptions = нет
btn-vet-edit-day = ✏️ Часы дня недели
btn-vet-edit-length = ⏱ Длительность консультации
btn-vet-edit-buffer = ⏸ Пауза между консультациями
btn-vet-add-day-off = 🏖 Добавить выходной
btn-vet-add-extra = ➕ Добавить часы
btn-vet-remove-exception = 🗑 Убрать выходной или доп. часы
msg-vet-choose-day = Какой день недели?
msg-vet-ask-hours =
    Пришлите часы на <b>{ $day }</b> по времени { $zone }, например <code>09:00-13:00, 14:00-18:00</code>, или <code>выходной</code>.
msg-vet-ask-length = Пришлите длительность одной консультации в минутах ({ $min }–{ $max }).
msg-vet-ask-buffer = Пришлите паузу после каждой консультации в минутах (0–{ $max }).
msg-vet-ask-day-off = Пришлите дату выходного, например <code>31.12.2026</code>. Ваш пояс: { $zone }.
msg-vet-ask-extra = Пришлите дату и часы, например <code>31.12.2026 10:00-12:00</code>, по времени { $zone }.
msg-vet-choose-exception = Что убрать?
msg-vet-schedule-saved = ✅ Сохранено. Свободное время для записи обновлено.
msg-vet-conflicts =
    ⚠️ На это время { $count ->
        [one] уже записана { $count } консультация
        [few] уже записаны { $count } консультации
       *[other] уже записано { $count } консультаций
    }. Они останутся в силе, если вы их не отмените (владельцу вернём деньги полностью):
btn-vet-keep-appointments = Оставить
msg-vet-appointment-cancelled = Консультация в { $start } отменена, деньги владельцу возвращены.
err-vet-appointment-not-cancellable = Эту консультацию уже нельзя отменить.
err-vet-exception-not-found = Этого выходного или доп. часов уже нет.
err-vet-hours-unreadable = Не получилось разобрать часы. Пример: <code>09:00-13:00, 14:00-18:00</code> или <code>выходной</code>.
err-vet-minutes-unreadable = Пришлите целое число минут, не больше { $limit }.
err-vet-date-unreadable = Не получилось разобрать дату. Пример: <code>31.12.2026</code>.
err-vet-date-in-past = Эта дата уже прошла.
err-vet-schedule-weekday = Неизвестный день недели.
err-vet-schedule-window-empty = Конец периода должен быть позже начала.
err-vet-schedule-windows-overlap = Периоды одного дня пересекаются.
err-vet-schedule-window-too-short = В каждый период должна помещаться хотя бы одна консультация.
err-vet-schedule-consultation-length = Недопустимая длительность консультации.
err-vet-schedule-buffer-length = Недопустимая пауза.
err-vet-schedule-exception-empty = Конец периода должен быть позже начала.
err-vet-schedule-exception-in-past = Это время уже прошло.
err-vet-schedule-exception-too-long = Слишком длинный период.

# День и очередь
msg-vet-today =
    📅 <b>Сегодня, { $date }</b> · { $zone }: { $count }

    { $items }
msg-vet-today-empty = 📅 <b>Сегодня, { $date }</b> · { $zone }: подтверждённых консультаций нет.
msg-vet-queue =
    🗂 <b>Ближайшие 7 дней</b> · { $zone }: { $count }

    { $items }
msg-vet-queue-empty = 🗂 В ближайшие 7 дней подтверждённых консультаций нет.
lbl-vet-agenda-item =
    🕘 <b>{ $date } { $start }–{ $end }</b> · { $pet } ({ $species })
    Причина: { $reason }
    Триаж: { $urgency }
lbl-vet-no-reason = не указана
lbl-vet-urgency = { $urgency ->
        [high] 🔴 высокий
        [medium] 🟡 средний
        [low] 🟢 низкий
       *[none] опросник не приложен
    }
btn-vet-show-photo = 🖼 Фото
btn-vet-brief = 📋 { $when } · { $pet }
btn-vet-start-call = ▶ Начать
btn-vet-report = 📝 Заключение
