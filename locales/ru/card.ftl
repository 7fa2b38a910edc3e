## Медкарта: микрочип, серия прививки, PDF (issue #13)

# Часть имени файла PDF: «Мурзик-медкарта.pdf».
lbl-card-file-suffix = медкарта
lbl-card-microchip = Микрочип: { $number ->
        [none] не указан
       *[other] { $number }
    }
lbl-card-owner = Владелец: { $name }{ $username ->
        [none] {""}
       *[other] , Telegram @{ $username }
    }
lbl-card-weight-value = { $kg } кг
lbl-card-triage-level = { $urgency ->
        [high] срочно, к врачу сейчас
        [medium] к врачу в течение суток
        [low] можно наблюдать дома
       *[other] оценивается
    }
lbl-card-vaccine-overdue = { $date } — просрочено

## Серия вакцины в форме записи
msg-record-ask-batch = Номер серии вакцины — он на наклейке в ветпаспорте, например A123B01. Если наклейки нет, пропустите.
err-record-batch-bad = Номер серии — это буквы и цифры (можно «-», «/» и «.»), до { $max } знаков. Например: A123B01.
lbl-record-view-batch = 🏷 Серия: { $batch }

## Микрочип в карточке питомца
btn-pet-field-microchip = Микрочип
msg-pet-ask-microchip =
    ✏️ <b>{ $name }</b>

    Номер микрочипа — 15 цифр (ISO 11784), как в ветпаспорте или на сканере. Пробелы можно оставить.
btn-pet-microchip-clear = Стереть номер 🗑
err-pet-microchip-bad = Номер микрочипа — ровно 15 цифр, например 643 094 100 123 456.
lbl-pet-card-microchip = 🔖 Микрочип: { $microchip }
