# My pets: the list, the card, adding and editing

## The list
msg-pets-list =
    🐾 <b>My pets</b>

    Choose a pet to open their card, or add a new one.
msg-pets-list-empty =
    🐾 <b>My pets</b>

    Nobody here yet. Shall we add your first pet? It takes a couple of minutes.
msg-pets-archived =
    🗂 <b>Archive</b>

    Pets who are no longer with you. Their cards and records are kept.
btn-pet-add = ➕ Add a pet
btn-pets-archived = 🗂 Archive ({ $archived_count })
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

## Species
lbl-pet-species-dog = 🐶 Dog
lbl-pet-species-cat = 🐱 Cat
lbl-pet-species-rabbit = 🐰 Rabbit
lbl-pet-species-guinea-pig = 🐹 Guinea pig
lbl-pet-species-rodent = 🐭 Rodent
lbl-pet-species-ferret = 🦦 Ferret
lbl-pet-species-bird = 🦜 Bird
lbl-pet-species-reptile = 🦎 Reptile
lbl-pet-species-other = 🐾 Other

## Common breeds, one per line
lbl-pet-breeds-dog =
    Mixed breed
    Labrador Retriever
    German Shepherd
    Yorkshire Terrier
    Pomeranian
    Chihuahua
    Jack Russell Terrier
    French Bulldog
lbl-pet-breeds-cat =
    Domestic (mixed)
    British Shorthair
    Scottish Fold
    Maine Coon
    Siamese
    Sphynx
    Persian
    Bengal

## The pet form
msg-pet-form-header = { $mode ->
        [edit] ✏️ <b>{ $name }</b>
       *[add] 🐾 <b>New pet</b> · step { $step } of 8
    }
msg-pet-ask-name = What is your pet's name?
msg-pet-ask-species = What kind of animal is { $name }?
msg-pet-ask-breed = What breed is { $name }? Type it, or skip if you don't know.
msg-pet-breed-suggestions = Or pick a common one:
msg-pet-ask-sex = Is { $name } a boy or a girl?
msg-pet-ask-neutered = { $sex_code ->
        [male] Is { $name } neutered?
        [female] Is { $name } spayed?
       *[other] Is { $name } neutered or spayed?
    }
msg-pet-ask-birth =
    When is your pet's birthday?

    Type the date, e.g. 5 Mar 2021, or an approximate age: "3 years", "8 months", "2 y 3 mo".
msg-pet-ask-weight =
    How much does { $name } weigh?

    For example: 4.5 kg or 450 g. A number without a unit means kilograms.
msg-pet-ask-photo = Send a photo of your pet — it makes the card easy to recognise. You can skip this and add one later.
btn-pet-skip = { $mode ->
        [edit] 🚫 Clear
       *[add] Skip ⏭
    }
btn-pet-sex-male = ♂️ Boy
btn-pet-sex-female = ♀️ Girl
btn-pet-sex-unknown = Not sure
btn-pet-neutered-yes = Yes
btn-pet-neutered-no = No
btn-pet-neutered-unknown = Not sure
msg-pet-added = ✅ { $name } is now on your list of pets.

## The pet's card
msg-pet-card-title = 🐾 <b>{ $name }</b>
lbl-pet-card-species = Species: { $species }
lbl-pet-card-breed = Breed: { $breed }
lbl-pet-card-sex = Sex: { $sex_code ->
        [male] male
        [female] female
       *[other] not specified
    }{ $neutered ->
        [yes] { $sex_code ->
            [female] , spayed
           *[other] , neutered
        }
        [no] { $sex_code ->
            [female] , not spayed
           *[other] , not neutered
        }
       *[other] { "" }
    }
lbl-pet-card-born = 🎂 Born: { DATE($born) } ({ $age })
lbl-pet-card-age-approximate = 🎂 Age: ≈ { $age_approximate }
lbl-pet-card-weight = ⚖️ Weight: { $weight }
lbl-pet-card-access = 👥 Your access: { $access }
lbl-pet-card-archived = 🗂 In the archive since { DATE($archived_at) }
lbl-pet-access-owner = owner
lbl-pet-access-co-owner = co-owner
lbl-pet-access-viewer = view only
btn-pet-edit = ✏️ Edit
btn-pet-archive = 🗂 Archive
btn-pet-restore = ↩️ Restore from the archive
btn-pet-delete = 🗑 Delete

## Age and weight
lbl-pet-age-years = { $years } { $years ->
        [one] year
       *[other] years
    }
lbl-pet-age-months = { $months } { $months ->
        [one] month
       *[other] months
    }
lbl-pet-age-years-months = { $years } { $years ->
        [one] year
       *[other] years
    } { $months } mo
lbl-pet-age-weeks = { $weeks } { $weeks ->
        [one] week
       *[other] weeks
    }
lbl-pet-age-newborn = less than a week
lbl-pet-weight-grams = { $grams } g
lbl-pet-weight-kg = { $kg } kg

## Editing
msg-pet-edit-menu = What would you like to change on { $name }'s card?
btn-pet-field-name = Name
btn-pet-field-species = Species
btn-pet-field-breed = Breed
btn-pet-field-sex = Sex
btn-pet-field-neutered = Neutering
btn-pet-field-birth = Date of birth
btn-pet-field-weight = Weight
btn-pet-field-photo = Photo

## Archive and deletion
msg-pet-archive-ask =
    Move { $name }'s card to the archive?

    The card and all its records are kept — you can open them any time under "Archive". What happened?
btn-pet-archive-deceased = 🕊 They have passed away
btn-pet-archive-rehomed = 🏡 They live with another family now
msg-pet-archived-deceased =
    We are so sorry for your loss. In loving memory of { $name } 🕊

    The card is kept in the archive; you can open it whenever you like.
msg-pet-archived-rehomed =
    { $name }'s card has moved to the archive. We hope all is well in the new home 🏡

    It is still there for you under "Archive".
msg-pet-restored = { $name } is back on your list of pets.
msg-pet-delete-ask =
    Delete { $name }'s card for good?

    All its records, symptom checks and reminders will be deleted too. This cannot be undone.

    If your pet is no longer with you, you can move the card to the archive instead and keep it.
btn-pet-delete-confirm = 🗑 Yes, delete for good
msg-pet-deleted = The card has been deleted.

## Errors
err-pet-not-found = Pet not found. The card may have been deleted, or access to it was closed.
err-pet-not-allowed = You have view-only access: only an owner or co-owner can change this card.
err-pet-not-owner = Only the card's owner can delete it.
err-pet-archived = This card is in the archive. Restore it to make changes.
err-pet-text-expected = Please type your answer, or choose an option with a button.
err-pet-photo-expected = Please send a picture as a photo, not as a file — or choose an option with a button.
err-pet-name-empty = The name can't be empty. Please type your pet's name.
err-pet-name-too-long = That name is too long: { $max } characters at most.
err-pet-breed-empty = Type the breed, or press "Skip".
err-pet-breed-too-long = That breed name is too long: { $max } characters at most.
err-pet-birth-unreadable = Sorry, I couldn't read that. Type a date like 5 Mar 2021, Mar 5 2021 or 2021-03-05 (with slashes a date reads two ways), or an age like "3 years" or "8 months".
err-pet-birth-bad-date = There is no such date in the calendar. Check the day and the month, e.g. 5 Mar 2021.
err-pet-birth-in-future = The date of birth can't be in the future.
err-pet-birth-too-old = That is more than 40 years — please check the year or the age.
err-pet-age-zero = The age must be more than zero. For the little ones, type e.g. "3 weeks".
err-pet-weight-unreadable = Sorry, I couldn't read the weight. Type e.g. 4.5 kg or 450 g.
err-pet-weight-too-low = That's too little for this species: type a weight between { $min } and { $max }.
err-pet-weight-too-high = That's too much for this species: type a weight between { $min } and { $max }. If you meant grams, add "g", e.g. 450 g.
