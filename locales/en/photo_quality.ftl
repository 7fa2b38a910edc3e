# Photo quality in the symptom check: a photo that shows nothing is not added.
err-photo-too-dark = 🌑 This photo is too dark to see anything. Please take another one in daylight or with the light on.
err-photo-too-bright = ☀️ This photo is washed out, so the details are lost. Please take another one without the flash and out of direct sunlight.
err-photo-too-small = 🔍 This photo is too small to show any detail. Please send the original photo, not a preview or a cropped screenshot.
err-photo-blurred = 🌫 This photo is blurred, so the details are lost. Hold the phone still, tap the problem spot on the screen to focus, and take another one.
