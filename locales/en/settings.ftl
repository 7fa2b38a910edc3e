# Reminder settings (/reminders) and choosing a time zone (dialogs/settings).
cmd-reminders = Reminder settings

msg-settings =
    🔔 <b>Reminders</b>

    Tap a kind of reminder to switch it on or off.
    🕒 Time zone: <b>{ $zone }</b>
    🌙 Quiet hours: <b>{ $quiet }</b> — reminders due then wait for the morning (except the one an hour before a consultation).
lbl-settings-zone-guessed = The time zone was picked by your language — change it if it is not yours.
lbl-settings-kind-vaccination = 💉 Vaccinations
lbl-settings-kind-parasite-treatment = 🐛 Parasite treatments
lbl-settings-kind-medication = 💊 Medications
lbl-settings-kind-appointment = 📅 Consultations
lbl-settings-kind-follow-up = 🩺 Follow-ups after a check
lbl-settings-quiet-none = none
btn-settings-quiet = 🌙 Quiet hours: { $quiet }
btn-settings-zone = 🕒 Time zone: { $zone }
err-settings-stale = This button is out of date — here are your current settings.

msg-settings-quiet =
    🌙 <b>Quiet hours</b>: now { $quiet }.

    Choose an option or type your own, e.g. <code>22:00–08:00</code>.
btn-settings-quiet-off = 🔔 No quiet hours
err-quiet-hours-unreadable = I could not read that time. Type it like this: <code>22:00–08:00</code>.
err-quiet-hours-out-of-range = There is no such time: hours go from 0 to 23, minutes from 0 to 59. For example, <code>23:00–07:00</code>.
err-quiet-hours-hint = Choose an option with a button or type the hours, e.g. <code>22:00–08:00</code>.

msg-time-zone = 🕒 Your time zone: <b>{ $zone }</b>.
msg-time-zone-ask =
    🕒 One quick question: which time zone do you live in?
    Then consultation times and reminders follow your own clock. It is set to <b>{ $zone }</b> now.
lbl-time-zone-how = Choose a city with your time, share your location, or type a zone such as <code>Europe/Berlin</code> or <code>UTC+5</code>.
btn-time-zone-location = 📍 Use my location
btn-time-zone-keep = 👍 Keep { $zone_label }
msg-time-zone-location = Press “📍 Send my location” below. We keep only the time zone, not the place.
msg-time-zone-guess = Looks like { $guess_city } ({ $zone_label }) — right?
btn-time-zone-yes = ✅ Yes
btn-time-zone-no = ✏️ No, I'll choose
msg-time-zone-set = ✅ Time zone: { $zone }.
err-time-zone-unknown = I don't know that time zone. Choose a city with a button or type, for example, <code>Europe/Berlin</code> or <code>UTC+5</code>.
err-time-zone-offset = There is no such offset: from UTC−12 to UTC+14, whole hours. For a half-hour zone type a city, e.g. <code>Asia/Kolkata</code>.
err-time-zone-location = I could not read that location. Choose a city with a button.
err-time-zone-hint = Choose a city with a button, share your location, or type a zone, e.g. <code>UTC+3</code>.

# How a zone reads: "Moscow, MSK (UTC+3)", "CET (UTC+1)", "UTC+5".
lbl-zone-with-abbreviation = { $abbreviation } ({ $offset })
lbl-zone-with-city = { $city }, { $zone }
lbl-zone-abbr-msk = MSK

# Cities people know their zone by (core/time_zones.py).
lbl-zone-city-kaliningrad = Kaliningrad
lbl-zone-city-moscow = Moscow
lbl-zone-city-samara = Samara
lbl-zone-city-yekaterinburg = Yekaterinburg
lbl-zone-city-omsk = Omsk
lbl-zone-city-novosibirsk = Novosibirsk
lbl-zone-city-krasnoyarsk = Krasnoyarsk
lbl-zone-city-irkutsk = Irkutsk
lbl-zone-city-yakutsk = Yakutsk
lbl-zone-city-vladivostok = Vladivostok
lbl-zone-city-magadan = Magadan
lbl-zone-city-kamchatka = Kamchatka
lbl-zone-city-los-angeles = Los Angeles
lbl-zone-city-denver = Denver
lbl-zone-city-chicago = Chicago
lbl-zone-city-new-york = New York
lbl-zone-city-london = London
lbl-zone-city-berlin = Berlin
lbl-zone-city-kyiv = Kyiv
lbl-zone-city-dubai = Dubai
lbl-zone-city-kolkata = India
lbl-zone-city-singapore = Singapore
lbl-zone-city-sydney = Sydney
lbl-zone-city-volgograd = Volgograd
lbl-zone-city-ulyanovsk = Ulyanovsk
lbl-zone-city-barnaul = Barnaul
lbl-zone-city-novokuznetsk = Novokuznetsk
lbl-zone-city-chita = Chita
lbl-zone-city-anadyr = Anadyr
lbl-zone-city-sakhalin = Sakhalin
lbl-zone-city-dublin = Dublin
lbl-zone-city-lisbon = Lisbon
lbl-zone-city-madrid = Madrid
lbl-zone-city-paris = Paris
lbl-zone-city-rome = Rome
lbl-zone-city-warsaw = Warsaw
lbl-zone-city-helsinki = Helsinki
lbl-zone-city-minsk = Minsk
lbl-zone-city-istanbul = Istanbul
lbl-zone-city-tbilisi = Tbilisi
lbl-zone-city-yerevan = Yerevan
lbl-zone-city-baku = Baku
lbl-zone-city-almaty = Almaty
lbl-zone-city-tashkent = Tashkent
lbl-zone-city-bangkok = Bangkok
lbl-zone-city-shanghai = Beijing
lbl-zone-city-tokyo = Tokyo
lbl-zone-city-melbourne = Melbourne
lbl-zone-city-auckland = Auckland
lbl-zone-city-toronto = Toronto
lbl-zone-city-phoenix = Phoenix
lbl-zone-city-mexico-city = Mexico City
lbl-zone-city-sao-paulo = São Paulo
lbl-zone-city-buenos-aires = Buenos Aires
lbl-zone-city-cairo = Cairo
lbl-zone-city-johannesburg = Johannesburg
lbl-zone-city-lagos = Lagos
