## Заключение врача после консультации: сообщение владельцу, PDF и подписи полей.

lbl-report-assessment = Оценка состояния
lbl-report-diagnosis = Диагноз
lbl-report-recommendations = Рекомендации
lbl-report-prescriptions = Назначения
lbl-report-drug = Препарат
lbl-report-dose = Доза
lbl-report-frequency = Как часто
lbl-report-duration = Сколько
lbl-report-follow-up = Повторный осмотр: { $date }
lbl-report-in-person = Очный визит к врачу: { $needed ->
        [yes] нужен
       *[no] не нужен
    }

lbl-report-card-amended = Изменено { $date }

## Сообщение в чат
msg-report-ready =
    📋 <b>Заключение врача: { $pet }</b>
    { $vet }, консультация { $date } в { $time } { $zone }

    { $body }

    Полное заключение — в PDF ниже и в медкарте питомца.
msg-report-amended =
    ✏️ <b>Врач уточнил заключение: { $pet }</b>
    { $vet }, консультация { $date } в { $time } { $zone }
    Изменено { $amended_date } в { $amended_time }: { $note }

    { $body }

    Новая версия — в PDF ниже и в медкарте питомца.
lbl-report-line-assessment = <b>Оценка состояния:</b> { $text }
lbl-report-line-diagnosis = <b>Диагноз:</b> { $text }
lbl-report-line-recommendations = <b>Рекомендации:</b> { $text }
lbl-report-line-prescriptions = <b>Назначения:</b>
lbl-report-line-prescription = • { $drug }{ $details ->
        [none] {""}
       *[other] { " " }— { $details }
    }
lbl-report-line-more-prescriptions = …и ещё { $count } — в PDF
lbl-report-line-follow-up = 🗓 <b>Повторный осмотр:</b> { DATE($date) }
lbl-report-line-in-person = 🏥 Врач советует очный визит в клинику.

## PDF
lbl-report-pdf-title = Заключение ветеринарного врача: { $pet }
lbl-report-pdf-author = Telemed-Pet
lbl-report-pdf-pet = Питомец: { $pet } ({ $species ->
        [dog] собака
        [cat] кошка
        [rabbit] кролик
        [guinea_pig] морская свинка
        [rodent] грызун
        [ferret] хорёк
        [bird] птица
        [reptile] рептилия
       *[other] другое животное
    })
lbl-report-pdf-owner = Владелец: { $owner }
lbl-report-pdf-vet = Врач: { $vet }
lbl-report-pdf-held = Консультация: { $when }
lbl-report-pdf-amendments = Изменения
lbl-report-pdf-amendment = { $when }: { $note }
lbl-report-pdf-footer = Заключение отправлено { $submitted }; документ создан { $generated } ботом Telemed-Pet.
lbl-report-pdf-date = { DATE($date) }
lbl-report-pdf-moment = { DATE($date) } { $time } { $zone }
