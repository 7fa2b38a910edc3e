# Ваши данные: /export и /delete_me

cmd-export = Скачать мои данные
cmd-delete-me = Удалить аккаунт и данные

## /export
msg-export-ready = 📦 Вот всё, что мы о вас храним: в JSON-файле — все данные целиком, а для каждого питомца — медкарта в PDF для передержки, клиники или границы.
err-export-cards-unavailable = Медкарты в PDF сейчас сделать не получилось. В JSON-файле выше — все ваши данные; попробуйте медкарты позже.

## /delete_me
msg-delete-warning =
    ⚠️ <b>Удалить аккаунт?</b>

    Будут удалены ваш профиль, проверки симптомов, напоминания, записи к врачам и файлы. Платежи сохраняются для бухгалтерии, но без вашего имени.
lbl-delete-pets-deleted = 🗑 Удалятся со всеми записями и фото: { $pets_deleted }
lbl-delete-pets-handed-over = 👥 Перейдут совладельцам: { $pets_handed_over }
lbl-delete-pets-kept = 🐾 Останутся у других владельцев (закроется только ваш доступ): { $pets_kept }
lbl-delete-export-first = Хотите сохранить копию? Сначала воспользуйтесь /export.
btn-delete-continue = Продолжить ▶️
btn-delete-cancel = ✖️ Не удалять
msg-delete-confirm =
    🛑 <b>Это действие нельзя отменить.</b>

    Удалить аккаунт и все данные прямо сейчас?
btn-delete-confirm = 🗑 Да, удалить всё
msg-account-deleted = Ваш аккаунт и данные удалены. Спасибо, что доверяли нам своих питомцев. Если захотите вернуться — просто отправьте /start.

## Медкарта в PDF
lbl-card-title = Медицинская карта: { $name }
lbl-card-author = Телемед-Питомец
lbl-card-species = Вид: { $species ->
        [dog] собака
        [cat] кошка
        [rabbit] кролик
        [guinea_pig] морская свинка
        [rodent] грызун
        [ferret] хорёк
        [bird] птица
        [reptile] рептилия
       *[other] другое
    }
lbl-card-breed = Порода: { $breed }
lbl-card-sex = Пол: { $sex ->
        [male] самец
        [female] самка
       *[other] не указан
    }{ $neutered ->
        [yes] { $sex ->
            [female] , стерилизована
           *[other] , кастрирован
        }
        [no] { $sex ->
            [female] , не стерилизована
           *[other] , не кастрирован
        }
       *[other] {""}
    }
lbl-card-born = Дата рождения: { $born }
lbl-card-age-approximately = Возраст: примерно { $age } (со слов владельца)
lbl-card-weight = Вес: { $kg } кг
lbl-card-allergies = Аллергии: { $allergies }
lbl-card-chronic = Хронические заболевания: { $conditions }
lbl-card-vaccinations = Вакцинации
lbl-card-vaccine-product = Вакцина
lbl-card-vaccine-batch = Серия
lbl-card-vaccine-date = Дата
lbl-card-vaccine-next-due = Следующая
lbl-card-no-vaccinations = Прививок не записано.
lbl-card-records = Другие записи
lbl-card-record = { $date } · { $kind ->
        [parasite_treatment] Обработка от паразитов
        [medication] Лекарство
        [procedure] Процедура
        [allergy] Аллергия
        [chronic_condition] Хроническое заболевание
        [weight] Вес
        [document] Документ
        [triage_result] Проверка симптомов
        [consultation_report] Консультация врача
       *[other] Запись
    } · { $title }
lbl-card-no-records = Других записей нет.
lbl-card-generated = Сформировано { $date } ботом «Телемед-Питомец» по записям владельца.
lbl-card-date = { DATE($date, style: "compact") }
