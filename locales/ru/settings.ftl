# Настройки напоминаний (/reminders) и выбор часового пояса (dialogs/settings).
cmd-reminders = Настройки напоминаний

msg-settings =
    🔔 <b>Напоминания</b>

    Нажмите на вид напоминаний, чтобы включить или выключить его.
    🕒 Часовой пояс: <b>{ $zone }</b>
    🌙 Тихие часы: <b>{ $quiet }</b> — напоминания на это время придут утром (кроме напоминания за час до консультации).
lbl-settings-zone-guessed = Часовой пояс выбран по языку — если он не ваш, поменяйте его.
lbl-settings-kind-vaccination = 💉 Прививки
lbl-settings-kind-parasite-treatment = 🐛 Обработки от паразитов
lbl-settings-kind-medication = 💊 Лекарства
lbl-settings-kind-appointment = 📅 Консультации
lbl-settings-kind-follow-up = 🩺 Как самочувствие после проверки
lbl-settings-quiet-none = нет
btn-settings-quiet = 🌙 Тихие часы: { $quiet }
btn-settings-zone = 🕒 Часовой пояс: { $zone }
err-settings-stale = Эта кнопка устарела — вот актуальные настройки.

msg-settings-quiet =
    🌙 <b>Тихие часы</b>: сейчас { $quiet }.

    Выберите вариант или напишите свой, например <code>22:00–08:00</code>.
btn-settings-quiet-off = 🔔 Без тихих часов
err-quiet-hours-unreadable = Не получилось прочитать время. Напишите так: <code>22:00–08:00</code>.
err-quiet-hours-out-of-range = Такого времени нет: часы от 0 до 23, минуты от 0 до 59. Например, <code>23:00–07:00</code>.
err-quiet-hours-hint = Выберите вариант кнопкой или напишите время, например <code>22:00–08:00</code>.

msg-time-zone = 🕒 Ваш часовой пояс: <b>{ $zone }</b>.
msg-time-zone-ask =
    🕒 Один вопрос: в каком часовом поясе вы живёте?
    Так время консультаций и напоминаний будет по вашим часам. Сейчас стоит <b>{ $zone }</b>.
lbl-time-zone-how = Выберите город с вашим временем, отправьте геопозицию или напишите пояс, например <code>Europe/Berlin</code> или <code>UTC+5</code>.
btn-time-zone-location = 📍 Определить по геопозиции
btn-time-zone-keep = 👍 Оставить { $zone_label }
msg-time-zone-location = Нажмите «📍 Отправить геопозицию» внизу. Мы запомним только часовой пояс, а не место.
msg-time-zone-guess = Похоже, ваш часовой пояс — { $guess_city } ({ $zone_label }). Верно?
btn-time-zone-yes = ✅ Да
btn-time-zone-no = ✏️ Нет, выберу сам
msg-time-zone-set = ✅ Часовой пояс: { $zone }.
err-time-zone-unknown = Не знаю такого часового пояса. Выберите город кнопкой или напишите, например, <code>Europe/Berlin</code> или <code>UTC+5</code>.
err-time-zone-offset = Такого смещения нет: от UTC−12 до UTC+14, целые часы. Для поясов с получасом напишите город, например <code>Asia/Kolkata</code>.
err-time-zone-location = Не получилось прочитать геопозицию. Выберите город кнопкой.
err-time-zone-hint = Выберите город кнопкой, отправьте геопозицию или напишите пояс, например <code>UTC+3</code>.

# Как показывается пояс: «Москва, МСК (UTC+3)», «CET (UTC+1)», «UTC+5».
lbl-zone-with-abbreviation = { $abbreviation } ({ $offset })
lbl-zone-with-city = { $city }, { $zone }
lbl-zone-abbr-msk = МСК

# Города, по которым узнают пояс (core/time_zones.py).
lbl-zone-city-kaliningrad = Калининград
lbl-zone-city-moscow = Москва
lbl-zone-city-samara = Самара
lbl-zone-city-yekaterinburg = Екатеринбург
lbl-zone-city-omsk = Омск
lbl-zone-city-novosibirsk = Новосибирск
lbl-zone-city-krasnoyarsk = Красноярск
lbl-zone-city-irkutsk = Иркутск
lbl-zone-city-yakutsk = Якутск
lbl-zone-city-vladivostok = Владивосток
lbl-zone-city-magadan = Магадан
lbl-zone-city-kamchatka = Камчатка
lbl-zone-city-los-angeles = Лос-Анджелес
lbl-zone-city-denver = Денвер
lbl-zone-city-chicago = Чикаго
lbl-zone-city-new-york = Нью-Йорк
lbl-zone-city-london = Лондон
lbl-zone-city-berlin = Берлин
lbl-zone-city-kyiv = Киев
lbl-zone-city-dubai = Дубай
lbl-zone-city-kolkata = Индия
lbl-zone-city-singapore = Сингапур
lbl-zone-city-sydney = Сидней
lbl-zone-city-volgograd = Волгоград
lbl-zone-city-ulyanovsk = Ульяновск
lbl-zone-city-barnaul = Барнаул
lbl-zone-city-novokuznetsk = Новокузнецк
lbl-zone-city-chita = Чита
lbl-zone-city-anadyr = Анадырь
lbl-zone-city-sakhalin = Сахалин
lbl-zone-city-dublin = Дублин
lbl-zone-city-lisbon = Лиссабон
lbl-zone-city-madrid = Мадрид
lbl-zone-city-paris = Париж
lbl-zone-city-rome = Рим
lbl-zone-city-warsaw = Варшава
lbl-zone-city-helsinki = Хельсинки
lbl-zone-city-minsk = Минск
lbl-zone-city-istanbul = Стамбул
lbl-zone-city-tbilisi = Тбилиси
lbl-zone-city-yerevan = Ереван
lbl-zone-city-baku = Баку
lbl-zone-city-almaty = Алматы
lbl-zone-city-tashkent = Ташкент
lbl-zone-city-bangkok = Бангкок
lbl-zone-city-shanghai = Пекин
lbl-zone-city-tokyo = Токио
lbl-zone-city-melbourne = Мельбурн
lbl-zone-city-auckland = Окленд
lbl-zone-city-toronto = Торонто
lbl-zone-city-phoenix = Финикс
lbl-zone-city-mexico-city = Мехико
lbl-zone-city-sao-paulo = Сан-Паулу
lbl-zone-city-buenos-aires = Буэнос-Айрес
lbl-zone-city-cairo = Каир
lbl-zone-city-johannesburg = Йоханнесбург
lbl-zone-city-lagos = Лагос
