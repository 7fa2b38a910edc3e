# Symptom check result: home-care advice and "what would make it urgent", per sign.
#
# advice-<sign>       1–3 lines, each starting with "• "; the result joins them under
#                     msg-result-advice-heading. No drug doses, ever.
# escalate-<sign>     one line starting with "• ": red flags of that sign that need a clinic now.
#                     Numbers are left out on purpose: thresholds live in rules.toml and are
#                     said by escalate-at-* against the pet's own answer.
# escalate-at-<detail>  one line starting with "• ", for a number detail the rules compare with a
#                     threshold. $threshold: the rule's value; $current: what the owner answered.
#                     Written without the pet's name (Russian would have to decline it).
# Limits (tests/unit/test_advice_locales.py): advice ≤ 220 characters, escalate lines ≤ 140.

msg-result-advice-heading = What you can do at home:
msg-result-urgent-if-heading = Go to a clinic at once if:
# For escalate-at-* lines whose threshold leads to "vet within 24 hours", not to "now".
msg-result-vet-soon-if-heading = See a vet within 24 hours if:

## Digestion and appetite

advice-vomiting =
    • No food for 4–6 hours, but leave water out. Don't starve puppies or kittens.
    • Then small bland meals: boiled chicken and rice.
    • No medicines meant for people.
escalate-vomiting = • blood or "coffee grounds" in the vomit, can't keep water down, or a swollen, painful belly

advice-diarrhea =
    • Fresh water available at all times.
    • Small bland meals for 1–2 days: boiled chicken and rice.
    • Watch for blood or black stools. No medicines meant for people.
escalate-diarrhea = • a lot of blood or black, tarry stools, vomiting too (above all in a young unvaccinated pet), or weakness

advice-not-eating =
    • Offer a favourite food, slightly warmed; keep water available.
    • Rabbits and guinea pigs must never go without food: offer hay and fresh greens.
escalate-not-eating = • vomiting, a swollen or painful belly, no droppings in a rabbit or guinea pig, or weakness

advice-not-drinking =
    • Put fresh water in several bowls; add some water to wet food.
    • Note when your pet last passed urine.
escalate-not-drinking = • sunken eyes, dry or sticky gums, vomiting, weakness, or no urine

advice-foreign-body-swallowed =
    • Do not make your pet vomit.
    • Never pull a thread or string out of the mouth or bottom.
    • Keep the packaging or a similar item to show the vet; check the stools.
escalate-foreign-body-swallowed = • vomiting or retching, a painful belly, no stools, or it was a battery, a magnet or something sharp

advice-weight-loss =
    • Weigh your pet once a week and write it down.
    • Note how much your pet eats and drinks each day; keep the usual food.
    • Book a routine visit: weight loss needs a check-up.
escalate-weight-loss = • refusing all food, repeated vomiting, or sudden weakness

advice-bad-breath =
    • Look in the mouth: a broken tooth, red gums, something stuck?
    • No human toothpaste: it can be poisonous to pets.
    • Book a routine dental check.
escalate-bad-breath = • a swollen face or jaw, bleeding from the mouth, heavy drooling, or refusing to eat

## Urination

advice-urination-straining =
    • Keep water available and note every trip to the toilet.
    • Check whether any urine comes out: look at the litter or the spot.
    • No painkillers meant for people.
escalate-urination-straining = • only drops or no urine, above all in a male cat; crying in pain, vomiting, or weakness

advice-blood-in-urine =
    • Keep fresh water available; let your pet out or clean the litter box often.
    • If you can, collect fresh urine in a clean jar for the vet.
escalate-blood-in-urine = • straining with no urine coming out, crying in pain, vomiting, or weakness

## Breathing

advice-coughing =
    • Keep your pet calm; walk on a harness, not a collar.
    • Keep away from smoke, dust and sprays.
    • No cough medicines meant for people.
escalate-coughing = • breathing fast or hard at rest, blue or pale gums, coughing up blood, or collapse

advice-sneezing =
    • Wipe the nose with a clean damp cloth.
    • Keep away from smoke, dust and strong smells.
    • No nose drops meant for people.
escalate-sneezing = • a nosebleed that won't stop, breathing with the mouth open (cat, rabbit), or struggling to breathe

## Skin, coat, wounds

advice-wound =
    • Rinse with clean water or saline. No alcohol, iodine or peroxide in the wound.
    • Stop licking with a cone or a body suit.
    • Keep the wound clean and dry.
escalate-wound = • bleeding that won't stop, a deep or gaping wound, a bite to the neck, chest or belly, or hot swelling with pus

advice-bleeding =
    • Press a clean pad or folded cloth firmly on the spot; don't lift it to look.
    • If blood soaks through, add another layer on top.
    • No tourniquet.
escalate-bleeding = • blood spurts or won't stop under firm pressure, or pale gums and weakness

advice-itching =
    • Check the coat for fleas and black specks of flea dirt.
    • Flea treatment only for this species: dog products can kill cats.
    • No creams or ointments meant for people.
escalate-itching = • swelling of the face, hives, sores that bleed, or trouble breathing

advice-hair-loss =
    • Look for fleas, redness and flaking where the fur is gone.
    • No creams meant for people; stop licking at the spot.
    • Wash your hands after touching it: ringworm can pass to people.
escalate-hair-loss = • raw, oozing or bleeding sores, a fast-spreading patch, or your pet seems unwell

advice-skin-lump =
    • Photograph the lump with a coin beside it and check it again in a week.
    • Do not squeeze or pierce it.
    • Book a routine visit.
escalate-skin-lump = • the lump grows fast, is hot and painful, bursts, or bleeds

advice-dandruff =
    • Brush regularly; don't bathe often and never with human shampoo.
    • Look closely: flakes that move may be mites.
escalate-dandruff = • sores, bleeding, or bald patches that spread fast

## Eyes and ears

advice-eye-discharge =
    • Wipe from the inner corner outwards with a clean damp pad, a new one for each eye.
    • No eye drops meant for people.
    • Stop rubbing: a cone helps.
escalate-eye-discharge = • the eye won't open, looks cloudy, bulging or very red, or your pet suddenly can't see

advice-squinting =
    • Stop rubbing the eye: a cone helps.
    • Keep away from bright light, wind and dust.
    • No eye drops meant for people.
escalate-squinting = • the eye looks cloudy, bulging or bloody, won't open, or your pet suddenly can't see

advice-ear-scratching =
    • Look inside: redness, a smell, dark wax?
    • Don't push cotton buds into the ear or pour anything in.
    • Trim the claws so scratching does less harm.
escalate-ear-scratching = • head tilt, loss of balance, a swollen ear flap, or strong pain

advice-head-tilt =
    • Keep your pet in a small, quiet room; block stairs and high furniture.
    • Put food and water within easy reach.
escalate-head-tilt = • falling or rolling over, can't stand, eyes flicking side to side, vomiting, or a seizure

## Movement and nerves

advice-lameness =
    • Rest: short leash walks only, no jumping or stairs.
    • Check the paw and between the toes for thorns or cuts.
    • No painkillers for people: ibuprofen and paracetamol are poisonous to pets.
escalate-lameness = • the leg hangs or bends oddly, strong pain, a big swelling, or sudden weakness in the back legs

advice-seizure =
    • During a seizure don't hold the mouth or put anything in it; move furniture away.
    • Keep the room dim and quiet.
    • Time each seizure and film it if you can.
escalate-seizure = • your pet doesn't come round after a seizure, or may have eaten something poisonous

## General condition

advice-lethargy =
    • Let your pet rest somewhere quiet and warm, with water nearby.
    • Check the gums: they should be pink. Note appetite, drinking and toilet.
escalate-lethargy = • can't stand, pale or blue gums, fast breathing, or a swollen belly

advice-temperature =
    • Measure rectally with a digital thermometer: normal is about 38–39 °C.
    • Keep water available; don't cool with ice.
    • No paracetamol or ibuprofen.
escalate-temperature = • shivering and cold to the touch, heavy panting, collapse, or a seizure

advice-behavior-change =
    • Note what changed and when: hiding, snapping, restlessness.
    • Look for signs of pain: limping, a hunched back, licking one spot.
    • Keep the day calm and the routine as usual.
escalate-behavior-change = • sudden confusion, walking in circles, pressing the head against a wall, or a seizure

## Thresholds from rules.toml, said against the pet's answer

escalate-at-seizure-minutes = • a seizure lasts { $threshold } { $threshold ->
        [one] minute
       *[other] minutes
    } or longer (this one: { $current } min)
escalate-at-seizures-24h = • { $threshold } { $threshold ->
        [one] seizure
       *[other] seizures
    } or more within 24 hours (so far: { $current })
escalate-at-bleeding-minutes = • bleeding hasn't stopped after { $threshold } { $threshold ->
        [one] minute
       *[other] minutes
    } (so far: { $current } min)
escalate-at-no-urine-hours = • no urine for { $threshold } { $threshold ->
        [one] hour
       *[other] hours
    } or longer (so far: { $current } h)
escalate-at-temperature-c-high = • the temperature reaches { $threshold } °C or higher (now: { $current } °C)
escalate-at-temperature-c-low = • the temperature drops to { $threshold } °C or lower (now: { $current } °C)
escalate-at-vomiting-count-24h = • vomiting reaches { $threshold } { $threshold ->
        [one] time
       *[other] times
    } in 24 hours (so far: { $current })
escalate-at-diarrhea-count-24h = • loose stools reach { $threshold } { $threshold ->
        [one] time
       *[other] times
    } in 24 hours (so far: { $current })
escalate-at-not-eating-hours = • still not eating after { $threshold } { $threshold ->
        [one] hour
       *[other] hours
    } (so far: { $current } h)
escalate-at-not-drinking-hours = • still not drinking after { $threshold } { $threshold ->
        [one] hour
       *[other] hours
    } (so far: { $current } h)
