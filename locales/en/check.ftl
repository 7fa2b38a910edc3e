# Symptom check
btn-check-cancel = ✖️ Cancel the check
msg-check-pet = 🩺 <b>Symptom check</b>

    Which pet is it about?
msg-check-no-pets = 🩺 <b>Symptom check</b>

    Add your pet first — species, sex and age matter for the assessment. Open /pets.

msg-check-emergency = ⚠️ <b>{ $pet_name }: the important things first.</b>

    Is any of this happening now? Tick everything that applies.
btn-check-emergency-go = 🚨 Yes — what do I do?
btn-check-none-of-these = None of these ▶️

screen-breathing = Struggling to breathe
screen-choking = Choking, cannot cough it up
screen-collapse = Unconscious or cannot stand
screen-gums = Pale, grey or blue gums
screen-urinary-blockage = Straining in the litter box, little or no urine
screen-bleeding = Heavy bleeding that won't stop
screen-seizure = A seizure longer than 5 minutes
screen-paralysis = Legs suddenly paralysed
screen-bloat = Swollen belly and retching without vomiting
screen-toxin = Ate poison, medicine, a lily, chocolate…
screen-trauma = Hit by a car, fell from a height, attacked
screen-heatstroke = Overheated (heatstroke)
screen-face-swelling = Swollen face, hives
screen-snake = Bitten by a snake
screen-labor = Difficult birth: strong straining, no puppy or kitten
screen-eye = Eye injury, bulging eye or sudden blindness
screen-electric = Chewed a live electrical cord
screen-vomiting-blood = Vomiting blood
screen-gi-stasis = Not eating for 12 hours or more
screen-cage-floor = Bird sitting on the cage floor

msg-check-area = What is wrong? Choose an area — you can go through several.
msg-check-chosen = Already ticked: { $chosen_text }
area-digestion = 🍽 Digestion and appetite
area-urinary = 💧 Urination
area-breathing = 🫁 Breathing, coughing, sneezing
area-skin = 🩹 Skin, coat, wounds
area-eyes-ears = 👁 Eyes and ears
area-movement = 🦴 Movement and nerves
area-general = 🌡 General condition

msg-check-signs = <b>{ $area_name }</b>

    Tick everything you notice:
btn-check-other-areas = ◀️ Other areas

sign-breathing-difficulty = difficulty breathing
sign-choking = choking
sign-gums-pale-or-blue = pale or blue gums
sign-collapse = collapse, cannot stand
sign-sudden-paralysis = sudden paralysis
sign-bloat-retching = swollen belly and retching
sign-toxin-ingestion = poisoning
sign-trauma-major = major trauma
sign-heatstroke = heatstroke
sign-allergic-face-swelling = swollen face, hives
sign-snake-bite = snake bite
sign-labor-difficulty = difficult birth
sign-eye-injury = eye injury
sign-electrical-burn = electric shock
sign-vomiting-blood = vomiting blood
sign-bird-on-cage-floor = bird on the cage floor
sign-seizure = seizures
sign-bleeding = bleeding
sign-urination-straining = straining to urinate
sign-temperature = temperature
sign-vomiting = vomiting
sign-diarrhea = diarrhoea
sign-not-eating = not eating
sign-not-drinking = not drinking
sign-lameness = limping
sign-blood-in-urine = blood in the urine
sign-eye-discharge = eye discharge
sign-squinting = squinting
sign-foreign-body-swallowed = swallowed an object
sign-head-tilt = head tilt, circling
sign-coughing = coughing
sign-lethargy = lethargy
sign-wound = wound
sign-itching = itching
sign-hair-loss = hair loss
sign-skin-lump = lump on the skin
sign-ear-scratching = scratching the ears
sign-bad-breath = bad breath
sign-sneezing = sneezing
sign-weight-loss = weight loss
sign-dandruff = dandruff
sign-behavior-change = behaviour change

msg-check-question = { $question }
msg-check-type-number = Choose an option or type, for example: "2 days", "an hour and a half", "3 times".
btn-yes = Yes
btn-no = No
lbl-yes = yes
lbl-no = no
btn-check-dont-know = Don't know

q-seizure-minutes = How many minutes did the seizure last?
q-seizures-24h = How many seizures in the last 24 hours?
q-recovered = Has your pet come round after the seizure?
q-bleeding-heavy = Is the bleeding heavy?
q-bleeding-minutes = For how many minutes has it been bleeding?
q-producing-urine = Is any urine coming out?
q-no-urine-hours = For how many hours has there been no urine?
q-temperature-c = What is the temperature (°C)? Measured rectally.
q-vomiting-count-24h = How many times has your pet vomited in 24 hours?
q-bloody = Is there blood in the stool?
q-diarrhea-count-24h = How many loose stools in 24 hours?
q-vaccinated = Is your pet vaccinated for its age?
q-not-eating-hours = For how many hours has your pet not eaten?
q-not-drinking-hours = For how many hours has your pet not drunk?
q-weight-bearing = Does your pet put weight on the sore leg?
q-toxin = What exactly did your pet eat?

err-check-not-a-number = That doesn't look like a number. Type, for example: 3
err-check-out-of-range = That value is unlikely — please check and type it again.
err-check-not-whole = A whole number is needed here, for example: 2
err-check-type-number = Choose an option with the buttons below ⬇️ or type the answer, for example: "2 days".
err-check-choose-sign = Tick at least one sign or choose another area.
err-check-send-photo = Send a photo (as a photo or a file) or press a button below.
err-check-too-many-photos = At most { $max_photos } photos.

msg-check-photos = 📷 <b>Photos (optional)</b>

    A photo helps with a wound, an eye, skin or a swelling. For a useful photo:
    • daylight, no flash;
    • close up, in focus, the problem in the middle;
    • a second photo from further away, so we see where it is.

    Added: { $photo_count } of { $max_photos }.
btn-check-skip-photos = No photos ▶️
msg-check-photo-received = Photo { $count } received ✅

err-upload-download-failed = We could not receive the file from Telegram. Please send it again.
err-upload-empty = The file is empty — please send the photo again.
err-upload-too-large = The file is too large: at most { $max_mb } MB.
err-upload-unsupported-type = That is not a photo. Send a JPG, PNG or WEBP picture.
err-upload-unreadable-image = The image could not be opened — please send another photo.
err-upload-image-too-large = The image has too many pixels — please send a smaller photo.

msg-check-summary = <b>Is everything right?</b>

    Pet: { $pet_name }
    Signs:
    { $signs_text }
    Answers:
    { $answers_text }
    Photos: { $photo_count }
btn-check-submit = ✅ Get the assessment

# Result
msg-result-high = 🔴 <b>Urgent: take { $pet_name } to a 24/7 clinic right now.</b>
msg-result-medium = 🟡 <b>{ $pet_name }: see a vet within 24 hours.</b>
msg-result-low = 🟢 <b>{ $pet_name }: you can monitor at home.</b>
msg-result-reasons = Why:
    { $reasons_text }
msg-result-todo-high =
    What to do now:
    • go to the nearest 24/7 clinic and call them on the way;
    • keep your pet warm and still; carry it in a carrier or on a firm blanket;
    • give no food, water or medicine unless a vet tells you to.
msg-result-toxin =
    ☠️ Poisoning: bring the package, the plant or what is left of what your pet ate. Do not make your pet vomit unless a vet or a poison helpline tells you to.
msg-result-todo-medium =
    What to do now: book a vet for today or tomorrow — in person or by video. Keep an eye on your pet and note what you see and when.
msg-result-todo-low =
    What to do now: watch for 1–2 days — appetite, drinking, toilet and activity. If it does not pass, book a routine visit.
msg-result-escalate =
    It becomes urgent if your pet struggles to breathe, cannot stand, has pale gums, seizures, bleeding that won't stop or vomits blood. Then go to a clinic at once.
msg-result-escalate-low =
    It becomes more urgent if your pet refuses food for more than a day, is lethargic, vomits or has diarrhoea several times, or shows any sign of pain. Then run the check again or book a vet.
msg-result-analysis-pending = ⏳ The photos are being analysed — we'll send a refined result in a minute. This answer is based on what you told us.
msg-result-analysis-not-configured = ℹ️ Photo analysis is not connected right now: the assessment is based on your answers alone. The photos are kept for the vet.
msg-result-analysis-failed = ⚠️ We could not analyse the photos. The assessment is based on your answers; the photos are kept for the vet.
msg-result-analysis-done = 📷 The result has been refined with the photos.
msg-result-photo-unusable = 📷 The photo is hard to read. If you can, run the check again with a clearer picture.
msg-result-model-unsure = 📷 The photo does not tell us anything for certain — the assessment rests on your answers.
msg-result-noted-for-vet = 📷 The photo shows skin changes — the vet will see them in the card.
msg-result-disclaimer = <i>This is not a diagnosis and does not replace an examination. If your pet gets worse or you are unsure, contact a clinic.</i>
msg-result-share-location = 📍 Send your location with the button below or type your city, and we'll show the nearest 24/7 clinics.
btn-result-pet-card = 🐾 Pet card
msg-clinics-nearby = 🏥 <b>Nearest 24/7 clinics</b> (call before you go):
msg-clinic-item = <b>{ $name }</b> — { $distance } km
    { $address }
    📞 Call: { $phone }
    🧭 <a href="{ $route_url }">Route</a>
msg-clinic-item-in-city = <b>{ $name }</b>
    { $address }
    📞 Call: { $phone }
    🧭 <a href="{ $route_url }">Route</a>
msg-clinics-none = Our directory has no 24/7 clinic near you. Search your maps for "24/7 vet" and call before you go.
btn-result-book = 📅 Book a vet

finding-wound-open = an open wound in the photo
finding-eye-abnormal = eye changes in the photo
finding-skin-lesion = skin changes in the photo
finding-swelling = a swelling in the photo
finding-unusable-photo = the photo is not usable
finding-normal = nothing unusual in the photo

# Answers with units, and asking back
lbl-unit-minutes = min
lbl-unit-hours = h
lbl-unit-celsius = °C
lbl-unit-count = { $n ->
    [one] time
   *[other] times
}
lbl-pick-below = under { $high } { $unit }
lbl-pick-between = { $low }–{ $high } { $unit }
lbl-pick-exact = { $low } { $unit }
lbl-pick-from = { $low } { $unit } or more
lbl-pick-up-to = { $high } { $unit } or lower
msg-check-ask-back = Just to be sure — what did you mean by "{ $answer }"?
btn-check-ask-back-option = { $value } { $unit }
btn-check-retype = ✏️ Type it differently
lbl-answer-value = { $value } { $unit }

# A typed message
msg-free-emergency-pet = 🚨 <b>This sounds urgent.</b> Which pet is it?
btn-free-not-my-pet = Another animal
msg-free-emergency-generic = 🔴 <b>This sounds like an emergency: go to a 24/7 clinic now.</b>
btn-share-location = 📍 Send my location
lbl-city-placeholder = or type your city
msg-location-offer = 📍 Tap "Send my location" below and we'll show the nearest 24/7 clinics. Can't share it? Type your city.
err-send-location-or-city = Tap "📍 Send my location" below or type your city.
err-city-not-found = Our directory has no 24/7 clinic in that city. Search your maps for "24/7 vet" and call before you go.
msg-free-offer-check = It sounds like: { $signs_text }.

    A symptom check takes a couple of minutes and tells you how urgent it is. The vet will see your message.
msg-free-offer-check-unsure = Let's look at it more closely. A symptom check takes a couple of minutes and tells you how urgent it is. The vet will see your message.
btn-free-start-check = 🩺 Start a symptom check
msg-check-reason = In your words: "{ $reason }"

# Result: sign-specific advice and buttons
btn-result-book-after-clinic = 📅 After the clinic: book a vet
btn-result-book-routine = 📅 Book a consultation
msg-result-date = 🗓 Check of { DATE($date) }
msg-result-advice = { msg-result-advice-heading }
    { $advice_text }
msg-result-urgent-if = { msg-result-urgent-if-heading }
    { $urgent_if_text }
msg-result-vet-soon-if = { msg-result-vet-soon-if-heading }
    { $vet_soon_if_text }
