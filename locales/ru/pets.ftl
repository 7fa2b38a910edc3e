# Мои питомцы: список, карта, добавление и правка

## Список
msg-pets-list =
    🐾 <b>Мои питомцы</b>

    Выберите питомца, чтобы открыть его карту, или добавьте нового.
msg-pets-list-empty =
    🐾 <b>Мои питомцы</b>

    Здесь пока никого нет. Добавим первого питомца? Это займёт пару минут.
msg-pets-archived =
    🗂 <b>Архив</b>

    Питомцы, которых нет рядом с вами. Их карты и записи сохранены.
btn-pet-add = ➕ Добавить питомца
btn-pets-archived = 🗂 Архив ({ $archived_count })
lbl-pet-list-item = { $species ->
        [dog] 🐶
        [cat] 🐱
        [rabbit] 🐰
        [guinea_pig] 🐹
        [rodent] 🐭
        [ferret] 🦦
        [bird] 🦜
        [reptile] 🦎
       *[other] 🐾
    } { $name }
# A name that carries its own emoji gets no species emoji beside it.
lbl-pet-list-item-own-emoji = { $name }

## Виды
lbl-pet-species-dog = 🐶 Собака
lbl-pet-species-cat = 🐱 Кошка
lbl-pet-species-rabbit = 🐰 Кролик
lbl-pet-species-guinea-pig = 🐹 Морская свинка
lbl-pet-species-rodent = 🐭 Грызун
lbl-pet-species-ferret = 🦦 Хорёк
lbl-pet-species-bird = 🦜 Птица
lbl-pet-species-reptile = 🦎 Рептилия
lbl-pet-species-other = 🐾 Другое

## Частые породы: по одной в строке
lbl-pet-breeds-dog =
    Метис
    Лабрадор-ретривер
    Немецкая овчарка
    Йоркширский терьер
    Шпиц
    Чихуахуа
    Джек-рассел-терьер
    Французский бульдог
lbl-pet-breeds-cat =
    Беспородная
    Британская короткошёрстная
    Шотландская вислоухая
    Мейн-кун
    Сиамская
    Сфинкс
    Персидская
    Бенгальская

## Анкета питомца
msg-pet-form-header = { $mode ->
        [edit] ✏️ <b>{ $name }</b>
       *[add] 🐾 <b>Новый питомец</b> · шаг { $step } из 8
    }
msg-pet-ask-name = Как зовут питомца? Напишите кличку.
msg-pet-ask-species = Кто { $name }? Выберите вид.
msg-pet-ask-breed = Какой породы { $name }? Напишите породу или пропустите, если не знаете.
msg-pet-breed-suggestions = Или выберите из частых:
msg-pet-ask-sex = { $name } — мальчик или девочка?
msg-pet-ask-neutered = { $sex_code ->
        [male] { $name } кастрирован?
        [female] { $name } стерилизована?
       *[other] { $name } кастрирован(а) или стерилизован(а)?
    }
msg-pet-ask-birth =
    Когда у питомца день рождения?

    Напишите дату в формате ДД.ММ.ГГГГ, например 05.03.2021, или примерный возраст: «3 года», «8 мес», «2 г 3 мес».
msg-pet-ask-weight =
    Сколько весит { $name }?

    Например: 4,5 кг или 450 г. Число без единиц — это килограммы.
msg-pet-ask-photo = Пришлите фото питомца — по нему карту легко узнать. Можно пропустить и добавить позже.
btn-pet-skip = { $mode ->
        [edit] 🚫 Очистить
       *[add] Пропустить ⏭
    }
btn-pet-sex-male = ♂️ Мальчик
btn-pet-sex-female = ♀️ Девочка
btn-pet-sex-unknown = Не знаю
btn-pet-neutered-yes = Да
btn-pet-neutered-no = Нет
btn-pet-neutered-unknown = Не знаю
msg-pet-added = ✅ { $name } теперь в списке ваших питомцев.

## Карта питомца
msg-pet-card-title = 🐾 <b>{ $name }</b>
lbl-pet-card-species = Вид: { $species }
lbl-pet-card-breed = Порода: { $breed }
lbl-pet-card-sex = Пол: { $sex_code ->
        [male] мальчик
        [female] девочка
       *[other] не указан
    }{ $neutered ->
        [yes] { $sex_code ->
            [male] , кастрирован
            [female] , стерилизована
           *[other] , кастрирован(а)
        }
        [no] { $sex_code ->
            [male] , не кастрирован
            [female] , не стерилизована
           *[other] , не кастрирован(а)
        }
       *[other] { "" }
    }
lbl-pet-card-born = 🎂 Дата рождения: { DATE($born) } ({ $age })
lbl-pet-card-age-approximate = 🎂 Возраст: ≈ { $age_approximate }
lbl-pet-card-weight = ⚖️ Вес: { $weight }
lbl-pet-card-access = 👥 Ваш доступ: { $access }
lbl-pet-card-archived = 🗂 В архиве с { DATE($archived_at) }
lbl-pet-access-owner = владелец
lbl-pet-access-co-owner = совладелец
lbl-pet-access-viewer = только просмотр
btn-pet-edit = ✏️ Изменить
btn-pet-archive = 🗂 В архив
btn-pet-restore = ↩️ Вернуть из архива
btn-pet-delete = 🗑 Удалить

## Возраст и вес
lbl-pet-age-years = { $years } { $years ->
        [one] год
        [few] года
       *[many] лет
    }
lbl-pet-age-months = { $months } мес.
lbl-pet-age-years-months = { $years } { $years ->
        [one] год
        [few] года
       *[many] лет
    } { $months } мес.
lbl-pet-age-weeks = { $weeks } { $weeks ->
        [one] неделя
        [few] недели
       *[many] недель
    }
lbl-pet-age-newborn = меньше недели
lbl-pet-weight-grams = { $grams } г
lbl-pet-weight-kg = { $kg } кг

## Правка
msg-pet-edit-menu = Что изменить в карте «{ $name }»?
btn-pet-field-name = Кличка
btn-pet-field-species = Вид
btn-pet-field-breed = Порода
btn-pet-field-sex = Пол
btn-pet-field-neutered = Кастрация
btn-pet-field-birth = Дата рождения
btn-pet-field-weight = Вес
btn-pet-field-photo = Фото

## Архив и удаление
msg-pet-archive-ask =
    Перенести карту «{ $name }» в архив?

    Карта и все записи сохранятся — их можно будет открыть в разделе «Архив». Что случилось?
btn-pet-archive-deceased = 🕊 Питомца больше нет с нами
btn-pet-archive-rehomed = 🏡 Живёт в другой семье
msg-pet-archived-deceased =
    Нам очень жаль. Светлая память, { $name } 🕊

    Карта сохранена в архиве — её можно открыть в любой момент.
msg-pet-archived-rehomed =
    Карта «{ $name }» перенесена в архив. Пусть на новом месте всё будет хорошо 🏡

    Она по-прежнему доступна в разделе «Архив».
msg-pet-restored = «{ $name }» снова в списке питомцев.
msg-pet-delete-ask =
    Удалить карту «{ $name }» навсегда?

    Вместе с ней удалятся все записи, проверки симптомов и напоминания. Отменить это будет нельзя.

    Если питомца больше нет рядом, карту можно не удалять, а перенести в архив.
btn-pet-delete-confirm = 🗑 Да, удалить навсегда
msg-pet-deleted = Карта удалена.

## Ошибки
err-pet-not-found = Питомец не найден. Возможно, карту удалили или доступ к ней закрыт.
err-pet-not-allowed = У вас доступ только на просмотр: менять эту карту может владелец или совладелец.
err-pet-not-owner = Удалить карту может только её владелец.
err-pet-archived = Карта в архиве. Верните её из архива, чтобы что-то изменить.
err-pet-text-expected = Напишите ответ текстом или выберите вариант кнопкой.
err-pet-photo-expected = Пришлите фотографию — именно как фото, не файлом. Или выберите вариант кнопкой.
err-pet-name-empty = Кличка не может быть пустой. Напишите, как зовут питомца.
err-pet-name-too-long = Слишком длинная кличка: не больше { $max } символов.
err-pet-breed-empty = Напишите породу или нажмите «Пропустить».
err-pet-breed-too-long = Слишком длинное название породы: не больше { $max } символов.
err-pet-birth-unreadable = Не получилось понять. Напишите дату, например 05.03.2021 или 5 марта 2021 (через косую черту дату можно прочесть двояко), или возраст: «3 года», «8 мес».
err-pet-birth-bad-date = Такой даты нет в календаре. Проверьте день и месяц: ДД.ММ.ГГГГ.
err-pet-birth-in-future = Дата рождения не может быть в будущем.
err-pet-birth-too-old = Это больше 40 лет — проверьте, пожалуйста, год или возраст.
err-pet-age-zero = Возраст должен быть больше нуля. Для малышей напишите, например, «3 недели».
err-pet-weight-unreadable = Не получилось понять вес. Напишите, например, 4,5 кг или 450 г.
err-pet-weight-too-low = Слишком мало для этого вида: укажите вес от { $min } до { $max }.
err-pet-weight-too-high = Слишком много для этого вида: укажите вес от { $min } до { $max }. Если вы имели в виду граммы, добавьте «г», например 450 г.
