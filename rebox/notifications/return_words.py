"""Short phrases that the text and the HTML part of a return email both use, per language.

The letters themselves live in the templates (``notifications/email/<kind>.<lang>.*``);
what is here is chosen by data (the return's method, a receiving exception's kind, a
unit's acceptance, the resolution), so it is picked once in Python rather than by a chain
of ``{% if %}`` repeated in eight templates. ``{title}``, ``{n}`` and ``{day}`` are filled in.
"""

METHOD_STEPS = {
    "en": {
        "mail_label": "Pack the items, stick the prepaid label on the parcel and hand it to the carrier. "
                      "The label comes in a separate email.",
        "drop_off": "Pack the items and bring the parcel to one of our stores or a service point. "
                    "Show the QR code from our next email there.",
        "courier_pickup": "Pack the items: a courier will collect the parcel from you on {day}.",
        "courier_pickup_no_day": "Pack the items: a courier will collect the parcel from you. "
                                 "We will confirm the day.",
    },
    "he": {
        "mail_label": "ארזו את הפריטים, הדביקו על החבילה את תווית המשלוח ששולמה מראש ומסרו אותה "
                      "לחברת השילוח. התווית תגיע במייל נפרד.",
        "drop_off": "ארזו את הפריטים והביאו את החבילה לאחת החנויות שלנו או לנקודת מסירה. "
                    "הציגו שם את קוד ה-QR מהמייל הבא שלנו.",
        "courier_pickup": "ארזו את הפריטים: שליח יאסוף מכם את החבילה בתאריך {day}.",
        "courier_pickup_no_day": "ארזו את הפריטים: שליח יאסוף מכם את החבילה. נאשר את היום בהמשך.",
    },
    "da": {
        "mail_label": "Pak varerne, sæt den forudbetalte returlabel på pakken, og aflever den til "
                      "fragtfirmaet. Labelen kommer i en separat e-mail.",
        "drop_off": "Pak varerne, og aflever pakken i en af vores butikker eller i en pakkeshop. "
                    "Vis QR-koden fra vores næste e-mail dér.",
        "courier_pickup": "Pak varerne: en kurér henter pakken hos dig den {day}.",
        "courier_pickup_no_day": "Pak varerne: en kurér henter pakken hos dig. Vi bekræfter dagen.",
    },
    "uk": {
        "mail_label": "Запакуйте товари, наклейте на посилку передплачену етикетку й передайте її "
                      "перевізнику. Етикетку ми надішлемо окремим листом.",
        "drop_off": "Запакуйте товари й принесіть посилку в один із наших магазинів або в пункт "
                    "приймання. Покажіть там QR-код із нашого наступного листа.",
        "courier_pickup": "Запакуйте товари: кур'єр забере у вас посилку {day}.",
        "courier_pickup_no_day": "Запакуйте товари: кур'єр забере у вас посилку. Дату ми підтвердимо.",
    },
}

# Receiving exceptions, in plain words (``title``: the line's item; ``n``: how many).
EXCEPTIONS = {
    "en": {
        "lost": "The parcel was reported lost on its way to us.",
        "short": "Fewer items arrived than announced: {title}, {n} missing.",
        "wrong_item": "An item that is not on this return arrived in place of {title}.",
        "wrong_item_no_line": "An item that is not on this return arrived.",
        "unexpected": "The parcel held an extra item we did not expect.",
    },
    "he": {
        "lost": "החבילה דווחה כאבודה בדרך אלינו.",
        "short": "הגיעו פחות פריטים מהמוצהר: {title}, חסרים {n}.",
        "wrong_item": "במקום {title} הגיע פריט שאינו חלק מההחזרה הזו.",
        "wrong_item_no_line": "הגיע פריט שאינו חלק מההחזרה הזו.",
        "unexpected": "בחבילה היה פריט נוסף שלא ציפינו לו.",
    },
    "da": {
        "lost": "Pakken er meldt bortkommet på vej til os.",
        "short": "Der kom færre varer end anmeldt: {title}, {n} mangler.",
        "wrong_item": "I stedet for {title} kom en vare, som ikke er en del af denne returnering.",
        "wrong_item_no_line": "Der kom en vare, som ikke er en del af denne returnering.",
        "unexpected": "Der lå en ekstra vare i pakken, som vi ikke havde ventet.",
    },
    "uk": {
        "lost": "Посилку визнано втраченою дорогою до нас.",
        "short": "Надійшло менше товарів, ніж заявлено: {title}, бракує {n}.",
        "wrong_item": "Замість {title} надійшов товар, якого немає в цьому поверненні.",
        "wrong_item_no_line": "Надійшов товар, якого немає в цьому поверненні.",
        "unexpected": "У посилці був зайвий товар, якого ми не очікували.",
    },
}

# What inspection decided per line.
OUTCOMES = {
    "en": {"accepted": "accepted", "rejected": "not accepted", "partly": "partly accepted",
           "pending": "still being checked"},
    "he": {"accepted": "התקבל", "rejected": "לא התקבל", "partly": "התקבל חלקית",
           "pending": "עדיין בבדיקה"},
    "da": {"accepted": "godkendt", "rejected": "ikke godkendt", "partly": "delvist godkendt",
           "pending": "kontrolleres stadig"},
    "uk": {"accepted": "прийнято", "rejected": "не прийнято", "partly": "прийнято частково",
           "pending": "ще перевіряємо"},
}

# What comes after inspection, per resolution (no amounts: the refund step decides them).
NEXT_STEPS = {
    "en": {"refund": "Next we prepare your refund and email you when it is on its way.",
           "exchange": "Next we send you the item you chose in exchange.",
           "store_credit": "Next we add store credit to your account and email you when it is there.",
           "keep_item": "You may keep the item; we will email you about the rest."},
    "he": {"refund": "בשלב הבא נכין את ההחזר הכספי ונעדכן אתכם במייל כשהוא יוצא לדרך.",
           "exchange": "בשלב הבא נשלח אליכם את הפריט שבחרתם בהחלפה.",
           "store_credit": "בשלב הבא נוסיף זיכוי לחשבון שלכם ונעדכן אתכם במייל.",
           "keep_item": "אפשר להשאיר את הפריט אצלכם; נעדכן אתכם במייל על ההמשך."},
    "da": {"refund": "Nu klargør vi din tilbagebetaling og skriver til dig, når den er på vej.",
           "exchange": "Nu sender vi dig den vare, du har valgt i bytte.",
           "store_credit": "Nu sætter vi tilgodehavendet ind på din konto og skriver til dig, "
                           "når det er der.",
           "keep_item": "Du må beholde varen; vi skriver til dig om resten."},
    "uk": {"refund": "Далі ми підготуємо повернення коштів і напишемо вам, щойно їх буде надіслано.",
           "exchange": "Далі ми надішлемо вам товар, який ви обрали на заміну.",
           "store_credit": "Далі ми зарахуємо кредит магазину на ваш рахунок і повідомимо вас листом.",
           "keep_item": "Товар можна залишити собі; про подальше ми повідомимо листом."},
}

# What a gift's recipient gets instead of money (told to the buyer).
GIFT_RESOLUTIONS = {
    "en": {"exchange": "an exchange", "store_credit": "store credit"},
    "he": {"exchange": "החלפה", "store_credit": "זיכוי בחנות"},
    "da": {"exchange": "en ombytning", "store_credit": "et tilgodehavende"},
    "uk": {"exchange": "обмін", "store_credit": "кредит магазину"},
}
