# Медкарта: записи по питомцу, добавление записей, динамика веса

## Выбор питомца
msg-record-pets =
    📋 <b>Медкарта</b>

    Чью медкарту открыть?
msg-record-no-pets =
    📋 <b>Медкарта</b>

    Сначала добавьте питомца — тогда прививкам, обработкам, весу и документам из клиники будет где храниться.
btn-record-open-pets = 🐾 Мои питомцы
btn-record-medical-card = 📋 Медкарта

## Типы записей
lbl-record-kind-vaccination = 💉 Прививка
lbl-record-kind-parasite-treatment = 🪲 Обработка от паразитов
lbl-record-kind-medication = 💊 Лекарство
lbl-record-kind-procedure = 🩹 Процедура или операция
lbl-record-kind-allergy = 🤧 Аллергия
lbl-record-kind-chronic-condition = 🫀 Хроническое заболевание
lbl-record-kind-weight = ⚖️ Вес
lbl-record-kind-document = 📄 Документ
lbl-record-kind-triage-result = 🩺 Проверка симптомов
lbl-record-kind-consultation-report = 🧑‍⚕️ Заключение врача

## Медкарта
msg-record-card = 📋 <b>{ $name }: медкарта</b>
lbl-record-due =
    <b>Следующие прививки и обработки</b>
    { $due_text }
lbl-record-due-item = { $overdue ->
        [yes] ⚠️ { $title } — просрочено с { DATE($due) }
       *[no] 🗓 { $title } — { DATE($due) }
    }
lbl-record-filter = 🔎 Показаны: { $filter_text }
lbl-record-filter-all = все записи
msg-record-card-empty = Записей пока нет. Добавляйте прививки, обработки, вес и документы из клиники кнопкой «➕ Добавить запись».
msg-record-card-empty-filtered = Записей такого типа пока нет.
lbl-record-page = Страница { $page } из { $pages }
lbl-record-item = { $kind ->
        [vaccination] 💉
        [parasite_treatment] 🪲
        [medication] 💊
        [procedure] 🩹
        [allergy] 🤧
        [chronic_condition] 🫀
        [weight] ⚖️
        [document] 📄
        [triage_result] 🩺
       *[other] 📋
    } { DATE($date, style: "compact") } · { $title }{ $overdue ->
        [yes] { " " }⚠️
       *[no] { "" }
    }
lbl-record-urgency = { $urgency ->
        [high] 🔴 Срочно: к врачу сейчас
        [medium] 🟡 К врачу в течение суток
        [low] 🟢 Можно наблюдать дома
       *[other] ⏳ Оценивается
    }
btn-record-add = ➕ Добавить запись
btn-record-filter = 🔎 Фильтр по типу
btn-record-weight-trend = 📈 Динамика веса
btn-record-newer = ◀️ Новее
btn-record-older = Старше ▶️

## Фильтр
msg-record-filter = Какие записи показать? Отметьте один или несколько типов; если ничего не отмечено, видно всё.
btn-record-filter-apply = ✅ Показать
btn-record-filter-clear = 🔄 Показать всё

## Одна запись
msg-record-view =
    { $kind_label }
    <b>{ $title }</b>
lbl-record-view-date = { $kind ->
        [vaccination] Сделана
        [parasite_treatment] Проведена
        [medication] Начало курса
        [procedure] Проведена
        [allergy] Замечена
        [chronic_condition] Диагноз поставлен
        [weight] Взвешивание
        [document] Дата документа
       *[other] Дата
    }: { DATE($date) }
lbl-record-view-dose = Доза: { $dose }
lbl-record-view-schedule = Как часто: { $schedule }
lbl-record-view-course-end = До: { DATE($course_end) }
lbl-record-view-course-ongoing = До: курс продолжается
lbl-record-view-next-due = 🗓 Следующая: { DATE($next_due) }
lbl-record-view-overdue = ⚠️ Следующая была нужна { DATE($next_due) } — просрочено на { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }
lbl-record-view-report = { $report_text }
lbl-record-view-report-vet = 🧑‍⚕️ Врач: { $vet }
lbl-record-view-report-amended = ✏️ Изменено { DATE($date) }
lbl-record-view-note = 📝 { $note }
lbl-record-view-file = 📎 { $file_type ->
        [pdf] PDF-документ
       *[image] Фото документа
    }
btn-record-open-result = 🩺 Открыть результат
btn-record-send-file = 📎 Прислать файл
btn-record-delete = 🗑 Удалить запись
msg-record-delete-ask =
    Удалить эту запись навсегда?

    { $title }
btn-record-delete-confirm = 🗑 Да, удалить
msg-record-deleted = Запись удалена.

## Динамика веса
msg-record-weight-trend =
    📈 <b>{ $name }: вес</b>

    { $trend_text }
lbl-record-weight-point = { DATE($date) } — { $weight }{ $direction ->
        [up] { " " }↑ +{ $change }
        [down] { " " }↓ −{ $change }
        [same] { " " }→
       *[first] { "" }
    }
lbl-record-weight-total = { $direction ->
        [up] За этот период +{ $change }.
        [down] За этот период −{ $change }.
       *[same] За этот период вес не изменился.
    }
msg-record-weight-empty = Взвешиваний пока нет. Добавьте: «➕ Добавить запись» → «⚖️ Вес».

## Новая запись
msg-record-ask-kind =
    📋 <b>Новая запись: { $name }</b>

    Что добавим?
msg-record-form-header = { $kind_label } · <b>{ $name }</b> · шаг { $step } из { $steps }
msg-record-ask-file = Пришлите документ: PDF-файл или фото бумаг из клиники, результатов анализов (до 20 МБ).
msg-record-ask-title = { $kind ->
        [vaccination] Какая вакцина? Напишите название, как на наклейке в ветпаспорте{ $species ->
            [dog] , например: Нобивак DHPPi.
            [cat] , например: Пуревакс RCPCh.
            [rabbit] , например: Нобивак Myxo-RHD.
            [ferret] , например: Нобивак Rabies.
           *[other] .
        }
        [parasite_treatment] Какое средство? { $species ->
            [dog] Например: Бравекто, Симпарика, Мильбемакс.
            [cat] Например: Бравекто Плюс, Стронгхолд, Мильбемакс для кошек.
           *[other] Напишите, как на упаковке.
        }
        [medication] Какое лекарство? Например: Синулокс.
        [procedure] Что сделали? Например: чистка зубов, кастрация, рентген.
        [allergy] Аллергия на что? Например: курица, укусы блох, амоксициллин.
        [chronic_condition] Какое заболевание? Например: хроническая болезнь почек, диабет.
       *[document] Что это за документ? Например: анализ крови, выписка.
    }
msg-record-ask-dose = Какая доза? Например: 50 мг, ½ таблетки, 2 капли.
msg-record-ask-schedule = Как часто? Например: 2 раза в день с едой, каждые 8 часов.
msg-record-ask-weight =
    Сколько весит { $name }?

    Например: 4,5 кг или 450 г. Число без единиц — килограммы.
msg-record-ask-date =
    { $kind ->
        [vaccination] Когда сделали прививку?
        [parasite_treatment] Когда провели обработку?
        [medication] Когда начался курс?
        [procedure] Когда это сделали?
        [allergy] Когда аллергию заметили впервые?
        [chronic_condition] Когда поставили диагноз?
        [weight] { $name }: когда было взвешивание?
       *[document] Какой датой выдан документ?
    }

    Напишите дату в виде ДД.ММ.ГГГГ, например 05.03.2024, или нажмите «Сегодня».
msg-record-ask-course-end = До какого числа курс? Напишите дату (ДД.ММ.ГГГГ) или длительность от начала: «10 дней», «2 недели». Если курс постоянный — пропустите.
msg-record-ask-next-due = Когда следующая? Напишите дату (ДД.ММ.ГГГГ), срок от даты этой — «через 12 месяцев», «через 3 недели» — или нажмите кнопку. Если не знаете — пропустите.
msg-record-ask-note = { $kind ->
        [allergy] Как проявляется реакция? Например: зуд, рвота, отёк.
        [procedure] Что стоит записать — клиника, наркоз, как всё прошло?
       *[other] Что стоит записать — лечение, диета, советы врача?
    } Или пропустите.
btn-record-today = 📅 Сегодня
btn-record-skip = Пропустить ⏭
msg-record-suggested-title = В прошлый раз: <b>{ $suggested }</b>. Если то же самое, нажмите «✅ То же», иначе напишите название.
btn-record-same-title = ✅ То же
btn-record-due-month = Через месяц
btn-record-due-quarter = Через 3 месяца
btn-record-due-year = Через год
btn-record-form-cancel = ✖️ Отмена
msg-record-added = ✅ Добавлено в медкарту.

## Ошибки
err-record-not-found = Запись не найдена. Возможно, её удалили или закрыли доступ к медкарте.
err-record-not-allowed = У вас доступ только на просмотр: добавлять и удалять записи могут владелец и совладелец.
err-record-pet-archived = Питомец в архиве: верните его из архива, чтобы добавлять или удалять записи.
err-record-not-deletable = Записи, которые добавил сам сервис (проверки симптомов, заключения врачей), остаются в медкарте.
err-record-file-missing = К сожалению, файл не найден.
err-record-text-expected = Напишите ответ текстом или выберите вариант кнопкой.
err-record-file-expected = Пришлите PDF-файл или фото документа — или выберите вариант кнопкой.
err-record-text-empty = Здесь нужен текст — напишите, пожалуйста.
err-record-text-too-long = Слишком длинно: не больше { $max } символов.
err-record-date-unreadable = Не удалось разобрать дату. Напишите её, например, 05.03.2024 или 5 марта 2024 (через косую черту дату можно прочесть двояко) или нажмите «Сегодня».
err-record-date-bad = Такой даты нет в календаре. Проверьте день и месяц: ДД.ММ.ГГГГ.
err-record-date-in-future = Эта дата ещё не наступила. Добавьте запись, когда это случится.
err-record-date-too-old = Это больше { $years } лет назад — проверьте год.
err-record-due-unreadable = Не удалось разобрать. Напишите дату (05.03.2025 или 5 марта 2025) или срок, например «через 12 месяцев» или «через 3 недели».
err-record-due-not-after = Следующая должна быть позже даты этой.
err-record-due-too-far = Это больше чем через { $years } лет — проверьте, пожалуйста.
err-record-end-unreadable = Не удалось разобрать. Напишите дату (05.03.2024 или 5 марта 2024) или длительность, например «10 дней» или «2 недели».
err-record-end-before-start = Курс не может закончиться раньше, чем начался.
err-record-end-too-far = Это больше чем через { $years } лет после начала — проверьте, пожалуйста.
