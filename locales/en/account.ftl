# Your data: /export and /delete_me

cmd-export = Download my data
cmd-delete-me = Delete my account and data

## /export
msg-export-ready = 📦 Here is everything we store about you: the JSON file has all of it, and each pet has a PDF medical card for a kennel, a clinic or a border check.
err-export-cards-unavailable = PDF medical cards can't be made right now. The JSON file above holds all your data; try the cards again later.

## /delete_me
msg-delete-warning =
    ⚠️ <b>Delete your account?</b>

    Your profile, symptom checks, reminders, appointments and files will be deleted. Payments are kept for accounting, without your name.
lbl-delete-pets-deleted = 🗑 Deleted with all their records and photos: { $pets_deleted }
lbl-delete-pets-handed-over = 👥 Handed over to their co-owners: { $pets_handed_over }
lbl-delete-pets-kept = 🐾 Staying with their other owners (only your access goes): { $pets_kept }
lbl-delete-export-first = Want a copy first? Use /export before deleting.
btn-delete-continue = Continue ▶️
btn-delete-cancel = ✖️ Don't delete
msg-delete-confirm =
    🛑 <b>This cannot be undone.</b>

    Delete your account and data now?
btn-delete-confirm = 🗑 Yes, delete everything
msg-account-deleted = Your account and data have been deleted. Thank you for trusting us with your pets. If you ever come back, just send /start.

## The PDF medical card
lbl-card-title = Medical card: { $name }
lbl-card-author = Telemed-Pet
lbl-card-species = Species: { $species ->
        [dog] dog
        [cat] cat
        [rabbit] rabbit
        [guinea_pig] guinea pig
        [rodent] rodent
        [ferret] ferret
        [bird] bird
        [reptile] reptile
       *[other] other
    }
lbl-card-breed = Breed: { $breed }
lbl-card-sex = Sex: { $sex ->
        [male] male
        [female] female
       *[other] not specified
    }{ $neutered ->
        [yes] { $sex ->
            [female] , spayed
           *[other] , neutered
        }
        [no] { $sex ->
            [female] , not spayed
           *[other] , not neutered
        }
       *[other] {""}
    }
lbl-card-born = Date of birth: { $born }
lbl-card-age-approximately = Age: about { $age } (estimated by the owner)
lbl-card-weight = Weight: { $kg } kg
lbl-card-allergies = Allergies: { $allergies }
lbl-card-chronic = Chronic conditions: { $conditions }
lbl-card-vaccinations = Vaccinations
lbl-card-vaccine-product = Vaccine
lbl-card-vaccine-batch = Batch
lbl-card-vaccine-date = Date
lbl-card-vaccine-next-due = Next due
lbl-card-no-vaccinations = No vaccinations recorded.
lbl-card-records = Other records
lbl-card-record = { $date } · { $kind ->
        [parasite_treatment] Parasite treatment
        [medication] Medication
        [procedure] Procedure
        [allergy] Allergy
        [chronic_condition] Chronic condition
        [weight] Weight
        [document] Document
        [triage_result] Symptom check
        [consultation_report] Vet consultation
       *[other] Record
    } · { $title }
lbl-card-no-records = No other records.
lbl-card-generated = Generated on { $date } by the Telemed-Pet bot from the owner's records.
lbl-card-date = { DATE($date, style: "compact") }
