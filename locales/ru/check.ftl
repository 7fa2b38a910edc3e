# Проверка симптомов
btn-check-cancel = ✖️ Отменить проверку
msg-check-pet = 🩺 <b>Проверка симптомов</b>

    Про кого проверяем?
msg-check-no-pets = 🩺 <b>Проверка симптомов</b>

    Сначала добавьте питомца — вид, пол и возраст важны для оценки. Откройте /pets.

msg-check-emergency = ⚠️ <b>{ $pet_name }: сначала главное.</b>

    Есть ли сейчас что-то из этого? Отметьте всё, что подходит.
btn-check-emergency-go = 🚨 Есть — что делать?
btn-check-none-of-these = Ничего из этого ▶️

screen-breathing = Тяжело дышит, задыхается
screen-choking = Подавился, кашляет и не может откашляться
screen-collapse = Без сознания или не может встать
screen-gums = Бледные, серые или синие дёсны
screen-urinary-blockage = Тужится в лоток, а мочи нет или капли
screen-bleeding = Сильное кровотечение, не останавливается
screen-seizure = Судороги дольше 5 минут
screen-paralysis = Внезапно отнялись лапы
screen-bloat = Вздутый живот и пустые позывы к рвоте
screen-toxin = Съел яд, лекарства, лилию, шоколад и т. п.
screen-trauma = Сбила машина, упал с высоты, покусали
screen-heatstroke = Перегрелся (тепловой удар)
screen-face-swelling = Отекла морда, крапивница
screen-snake = Укусила змея
screen-labor = Тяжёлые роды: сильные потуги без результата
screen-eye = Травма глаза, глаз выпал или внезапно ослеп
screen-electric = Перегрыз провод под током
screen-vomiting-blood = Рвота с кровью
screen-gi-stasis = Не ест 12 часов и дольше
screen-cage-floor = Птица сидит на дне клетки

msg-check-area = Что беспокоит? Выберите область — можно несколько по очереди.
msg-check-chosen = Уже отмечено: { $chosen_text }
area-digestion = 🍽 Пищеварение и аппетит
area-urinary = 💧 Мочеиспускание
area-breathing = 🫁 Дыхание, кашель, чихание
area-skin = 🩹 Кожа, шерсть, раны
area-eyes-ears = 👁 Глаза и уши
area-movement = 🦴 Движение и нервная система
area-general = 🌡 Общее состояние

msg-check-signs = <b>{ $area_name }</b>

    Отметьте всё, что замечаете:
btn-check-other-areas = ◀️ Другие области

sign-breathing-difficulty = тяжёлое дыхание
sign-choking = удушье
sign-gums-pale-or-blue = бледные или синие дёсны
sign-collapse = не может встать, без сознания
sign-sudden-paralysis = внезапный паралич
sign-bloat-retching = вздутие живота и позывы к рвоте
sign-toxin-ingestion = отравление
sign-trauma-major = серьёзная травма
sign-heatstroke = тепловой удар
sign-allergic-face-swelling = отёк морды, крапивница
sign-snake-bite = укус змеи
sign-labor-difficulty = тяжёлые роды
sign-eye-injury = травма глаза
sign-electrical-burn = удар током
sign-vomiting-blood = рвота с кровью
sign-bird-on-cage-floor = птица на дне клетки
sign-seizure = судороги
sign-bleeding = кровотечение
sign-urination-straining = тужится при мочеиспускании
sign-temperature = температура
sign-vomiting = рвота
sign-diarrhea = диарея
sign-not-eating = не ест
sign-not-drinking = не пьёт
sign-lameness = хромает
sign-blood-in-urine = кровь в моче
sign-eye-discharge = выделения из глаз
sign-squinting = щурится
sign-foreign-body-swallowed = проглотил посторонний предмет
sign-head-tilt = наклон головы, ходит по кругу
sign-coughing = кашель
sign-lethargy = вялость
sign-wound = рана
sign-itching = зуд
sign-hair-loss = выпадение шерсти
sign-skin-lump = шишка на коже
sign-ear-scratching = чешет уши
sign-bad-breath = запах изо рта
sign-sneezing = чихание
sign-weight-loss = похудение
sign-dandruff = перхоть
sign-behavior-change = изменилось поведение

msg-check-question = { $question }
msg-check-type-number = Выберите вариант или напишите, например: «2 дня», «полтора часа», «3 раза».
btn-yes = Да
btn-no = Нет
lbl-yes = да
lbl-no = нет
btn-check-dont-know = Не знаю

q-seizure-minutes = Сколько минут длился приступ судорог?
q-seizures-24h = Сколько приступов было за последние сутки?
q-recovered = Питомец пришёл в себя после приступа?
q-bleeding-heavy = Кровотечение сильное?
q-bleeding-minutes = Сколько минут идёт кровь?
q-producing-urine = Моча выходит (хоть немного)?
q-no-urine-hours = Сколько часов нет мочи?
q-temperature-c = Какая температура (°C)? Измеряется ректально.
q-vomiting-count-24h = Сколько раз была рвота за сутки?
q-bloody = В стуле есть кровь?
q-diarrhea-count-24h = Сколько раз был жидкий стул за сутки?
q-vaccinated = Питомец привит по возрасту?
q-not-eating-hours = Сколько часов питомец не ест?
q-not-drinking-hours = Сколько часов питомец не пьёт?
q-weight-bearing = Наступает на больную лапу?
q-toxin = Что именно съел питомец?

err-check-not-a-number = Не похоже на число. Напишите, например: 3
err-check-out-of-range = Такое значение маловероятно — проверьте, пожалуйста, и напишите ещё раз.
err-check-not-whole = Здесь нужно целое число, например: 2
err-check-type-number = Выберите вариант кнопками ниже ⬇️ или напишите ответ, например: «2 дня».
err-check-choose-sign = Отметьте хотя бы один признак или выберите другую область.
err-check-send-photo = Пришлите фото (как фото или файлом) или нажмите кнопку ниже.
err-check-too-many-photos = Можно не больше { $max_photos } фото.

msg-check-photos = 📷 <b>Фото (по желанию)</b>

    Фото помогает оценить рану, глаз, кожу или отёк. Как снять полезное фото:
    • при дневном свете, без вспышки;
    • крупно, в фокусе, проблемное место в центре;
    • второе фото — издалека, чтобы было видно, где это.

    Добавлено: { $photo_count } из { $max_photos }.
btn-check-skip-photos = Без фото ▶️
msg-check-photo-received = Фото { $count } получено ✅

err-upload-download-failed = Не удалось получить файл от Telegram. Пришлите его, пожалуйста, ещё раз.
err-upload-empty = Файл пустой — пришлите фото ещё раз.
err-upload-too-large = Файл слишком большой: не больше { $max_mb } МБ.
err-upload-unsupported-type = Это не фото. Пришлите снимок в формате JPG, PNG или WEBP.
err-upload-unreadable-image = Не удалось открыть изображение — пришлите другое фото.
err-upload-image-too-large = Изображение слишком большое по размеру в пикселях — пришлите фото поменьше.

msg-check-summary = <b>Проверьте, всё ли верно</b>

    Питомец: { $pet_name }
    Признаки:
    { $signs_text }
    Ответы:
    { $answers_text }
    Фото: { $photo_count }
btn-check-submit = ✅ Получить оценку

# Результат
msg-result-high = 🔴 <b>Срочно: { $pet_name } — в круглосуточную клинику прямо сейчас.</b>
msg-result-medium = 🟡 <b>{ $pet_name }: покажите врачу в ближайшие 24 часа.</b>
msg-result-low = 🟢 <b>{ $pet_name }: можно наблюдать дома.</b>
msg-result-reasons = Почему:
    { $reasons_text }
msg-result-todo-high =
    Что делать сейчас:
    • езжайте в ближайшую круглосуточную клинику, позвоните им по дороге;
    • держите питомца в тепле и покое, перевозите в переноске или на плотной подстилке;
    • не давайте еды, воды и лекарств без указания врача.
msg-result-toxin =
    ☠️ Отравление: возьмите с собой упаковку, растение или остатки того, что съел питомец. Не вызывайте рвоту сами — только по указанию врача или токсикологической службы.
msg-result-todo-medium =
    Что делать сейчас: запишитесь к ветеринару на сегодня или завтра — очно или на видеоконсультацию. Следите за состоянием и запишите, что и когда замечаете.
msg-result-todo-low =
    Что делать сейчас: наблюдайте 1–2 дня, следите за аппетитом, питьём, туалетом и активностью. Если не проходит — запишитесь на плановый приём.
msg-result-escalate =
    Станет срочно, если: тяжело дышит, не может встать, бледные дёсны, судороги, кровотечение не останавливается, рвота с кровью. Тогда — сразу в клинику.
msg-result-escalate-low =
    Станет срочнее, если: отказывается от еды дольше суток, вялость, рвота или диарея несколько раз, любые признаки боли. Тогда пройдите проверку снова или запишитесь к врачу.
msg-result-analysis-pending = ⏳ Фото анализируются — пришлём уточнённый результат через минуту. Этот ответ основан на ваших ответах.
msg-result-analysis-not-configured = ℹ️ Анализ фото сейчас не подключён: оценка основана только на ответах. Фото сохранены для врача.
msg-result-analysis-failed = ⚠️ Не удалось проанализировать фото. Оценка основана на ваших ответах; фото сохранены для врача.
msg-result-analysis-done = 📷 Результат уточнён по фото.
msg-result-photo-unusable = 📷 По фото трудно что-то понять. Если можете, пройдите проверку ещё раз с более чётким снимком.
msg-result-model-unsure = 📷 По фото нельзя сказать уверенно — оценка основана на ответах.
msg-result-noted-for-vet = 📷 На фото есть изменения кожи — врач увидит их в карте.
msg-result-disclaimer = <i>Это не диагноз и не замена осмотру. Если питомцу хуже или вы сомневаетесь — обратитесь в клинику.</i>
msg-result-share-location = 📍 Отправьте геопозицию кнопкой внизу или напишите город — покажем ближайшие круглосуточные клиники.
btn-result-pet-card = 🐾 Карточка питомца
msg-clinics-nearby = 🏥 <b>Ближайшие круглосуточные клиники</b> (позвоните перед выездом):
msg-clinic-item = <b>{ $name }</b> — { $distance } км
    { $address }
    📞 Позвонить: { $phone }
    🧭 <a href="{ $route_url }">Маршрут</a>
msg-clinic-item-in-city = <b>{ $name }</b>
    { $address }
    📞 Позвонить: { $phone }
    🧭 <a href="{ $route_url }">Маршрут</a>
msg-clinics-none = В нашем справочнике нет круглосуточных клиник рядом с вами. Найдите «круглосуточная ветклиника» в картах и позвоните перед выездом.
btn-result-book = 📅 Записаться к врачу

finding-wound-open = открытая рана на фото
finding-eye-abnormal = изменения глаза на фото
finding-skin-lesion = изменения кожи на фото
finding-swelling = отёк на фото
finding-unusable-photo = фото не подходит для оценки
finding-normal = на фото без видимых изменений

# Ответы с единицами и переспрашивание
lbl-unit-minutes = мин
lbl-unit-hours = ч
lbl-unit-celsius = °C
lbl-unit-count = { $n ->
    [one] раз
    [few] раза
   *[other] раз
}
lbl-pick-below = меньше { $high } { $unit }
lbl-pick-between = { $low }–{ $high } { $unit }
lbl-pick-exact = { $low } { $unit }
lbl-pick-from = { $low } { $unit } и больше
lbl-pick-up-to = { $high } { $unit } и ниже
msg-check-ask-back = Уточните, пожалуйста, что вы имели в виду: «{ $answer }»?
btn-check-ask-back-option = { $value } { $unit }
btn-check-retype = ✏️ Написать иначе
lbl-answer-value = { $value } { $unit }

# Сообщение, написанное словами
msg-free-emergency-pet = 🚨 <b>Похоже, это срочно.</b> О каком питомце речь?
btn-free-not-my-pet = Другое животное
msg-free-emergency-generic = 🔴 <b>Похоже на неотложное состояние: срочно в круглосуточную клинику.</b>
btn-share-location = 📍 Отправить геопозицию
lbl-city-placeholder = или напишите город
msg-location-offer = 📍 Нажмите «Отправить геопозицию» внизу — покажем ближайшие круглосуточные клиники. Не получается? Напишите город.
err-send-location-or-city = Нажмите «📍 Отправить геопозицию» внизу или напишите город.
err-city-not-found = Не нашли круглосуточных клиник в этом городе в нашем справочнике. Найдите в картах «круглосуточная ветклиника» и позвоните перед выездом.
msg-free-offer-check = Похоже на: { $signs_text }.

    Проверка симптомов займёт пару минут и покажет, насколько это срочно. Ваше сообщение увидит врач.
msg-free-offer-check-unsure = Давайте разберёмся подробнее. Проверка симптомов займёт пару минут и покажет, насколько это срочно. Ваше сообщение увидит врач.
btn-free-start-check = 🩺 Начать проверку симптомов
msg-check-reason = Ваши слова: «{ $reason }»

# Результат: советы по признакам и кнопки
btn-result-book-after-clinic = 📅 После клиники: записаться к врачу
btn-result-book-routine = 📅 Записаться на консультацию
msg-result-date = 🗓 Проверка от { DATE($date) }
msg-result-advice = { msg-result-advice-heading }
    { $advice_text }
msg-result-urgent-if = { msg-result-urgent-if-heading }
    { $urgent_if_text }
msg-result-vet-soon-if = { msg-result-vet-soon-if-heading }
    { $vet_soon_if_text }
