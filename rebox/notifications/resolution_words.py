"""Phrases the resolution emails (refund, store credit, exchange, thank-you) pick by data.

As in ``return_words``: the letters are the templates; what varies with the payment
method, the kind of offer or the resolution is chosen here once, per language.
``{amount}``, ``{percent}`` and ``{day}`` are filled in.
"""

# Where the money went: completes "We have refunded 40.00 € ..." in each language.
REFUNDED_TO = {
    "en": {"card": "to the card you paid with", "paypal": "to your PayPal account",
           "gift_card": "to your gift card", "store_credit": "to your store credit",
           "bank_transfer": "to your bank account", "cash_on_delivery": "to your bank account",
           "other": "the way you paid", "manual": "by our team directly"},
    "he": {"card": "לכרטיס שבו שילמתם", "paypal": "לחשבון ה-PayPal שלכם",
           "gift_card": "לכרטיס המתנה שלכם", "store_credit": "לזיכוי שלכם בחנות",
           "bank_transfer": "לחשבון הבנק שלכם", "cash_on_delivery": "לחשבון הבנק שלכם",
           "other": "באמצעי שבו שילמתם", "manual": "ישירות על ידי הצוות שלנו"},
    "da": {"card": "til det kort, du betalte med", "paypal": "til din PayPal-konto",
           "gift_card": "til dit gavekort", "store_credit": "til dit tilgodehavende",
           "bank_transfer": "til din bankkonto", "cash_on_delivery": "til din bankkonto",
           "other": "på den måde, du betalte", "manual": "direkte af vores team"},
    "uk": {"card": "на картку, якою ви платили", "paypal": "на ваш рахунок PayPal",
           "gift_card": "на вашу подарункову картку", "store_credit": "на ваш кредит магазину",
           "bank_transfer": "на ваш банківський рахунок", "cash_on_delivery": "на ваш банківський рахунок",
           "other": "тим способом, яким ви платили", "manual": "безпосередньо нашою командою"},
}

# The payment method as a name, for the summary line.
METHOD_NAMES = {
    "en": {"card": "Card", "paypal": "PayPal", "gift_card": "Gift card", "store_credit": "Store credit",
           "bank_transfer": "Bank transfer", "cash_on_delivery": "Cash on delivery", "other": "Other",
           "manual": "Paid back by our team"},
    "he": {"card": "כרטיס אשראי", "paypal": "PayPal", "gift_card": "כרטיס מתנה",
           "store_credit": "זיכוי בחנות",
           "bank_transfer": "העברה בנקאית", "cash_on_delivery": "תשלום במסירה", "other": "אחר",
           "manual": "הוחזר על ידי הצוות שלנו"},
    "da": {"card": "Betalingskort", "paypal": "PayPal", "gift_card": "Gavekort",
           "store_credit": "Tilgodehavende",
           "bank_transfer": "Bankoverførsel", "cash_on_delivery": "Efterkrav", "other": "Andet",
           "manual": "Tilbagebetalt af vores team"},
    "uk": {"card": "Картка", "paypal": "PayPal", "gift_card": "Подарункова картка",
           "store_credit": "Кредит магазину", "bank_transfer": "Банківський переказ",
           "cash_on_delivery": "Оплата при отриманні", "other": "Інше",
           "manual": "Повернено нашою командою"},
}

# When the customer sees the money: the usual delay of each kind of payment, in plain words.
TIMING_OF_METHOD = {"card": "card", "paypal": "paypal", "gift_card": "instant", "store_credit": "instant",
                    "bank_transfer": "bank", "cash_on_delivery": "bank", "other": "bank", "manual": "bank"}
TIMING = {
    "en": {"card": "It usually shows on your statement within 5 to 10 business days, depending on your bank.",
           "paypal": "It usually reaches your PayPal account within 1 to 3 business days.",
           "instant": "It is there right away.",
           "bank": "It usually reaches your account within 3 to 5 business days."},
    "he": {"card": "בדרך כלל הזיכוי מופיע בפירוט החיובים תוך 5 עד 10 ימי עסקים, בהתאם לבנק שלכם.",
           "paypal": "בדרך כלל הסכום מגיע לחשבון ה-PayPal תוך 1 עד 3 ימי עסקים.",
           "instant": "הסכום זמין מיד.",
           "bank": "בדרך כלל הסכום מגיע לחשבון תוך 3 עד 5 ימי עסקים."},
    "da": {"card": "Beløbet står normalt på din kontoudskrift inden for 5 til 10 hverdage, "
                   "afhængigt af din bank.",
           "paypal": "Beløbet når normalt din PayPal-konto inden for 1 til 3 hverdage.",
           "instant": "Beløbet er der med det samme.",
           "bank": "Beløbet når normalt din konto inden for 3 til 5 hverdage."},
    "uk": {"card": "Зазвичай кошти з'являються у виписці протягом 5–10 робочих днів, "
                   "залежно від вашого банку.",
           "paypal": "Зазвичай кошти надходять на рахунок PayPal протягом 1–3 робочих днів.",
           "instant": "Кошти доступні одразу.",
           "bank": "Зазвичай кошти надходять на рахунок протягом 3–5 робочих днів."},
}

# A goodwill code's worth.
OFFER = {
    "en": {"percent": "{percent} % off your next order", "amount": "{amount} off your next order",
           "plain": "a discount on your next order", "until": "Valid until {day}."},
    "he": {"percent": "{percent}% הנחה על ההזמנה הבאה", "amount": "הנחה של {amount} על ההזמנה הבאה",
           "plain": "הנחה על ההזמנה הבאה", "until": "בתוקף עד {day}."},
    "da": {"percent": "{percent} % rabat på din næste ordre", "amount": "{amount} rabat på din næste ordre",
           "plain": "rabat på din næste ordre", "until": "Gælder til og med {day}."},
    "uk": {"percent": "знижка {percent} % на наступне замовлення",
           "amount": "знижка {amount} на наступне замовлення",
           "plain": "знижка на наступне замовлення", "until": "Діє до {day}."},
}

# What the thank-you says about how the return was made right (amounts come in their own email).
SETTLED = {
    "en": {"refund": "Your refund has been issued to the way you paid; a separate email tells the amount.",
           "store_credit": "Your store credit is ready; a separate email gives you the code.",
           "keep_item": "You may keep the item; a separate email tells what we pay back."},
    "he": {"refund": "ההחזר הכספי יצא לאמצעי התשלום שלכם; במייל נפרד תמצאו את הסכום.",
           "store_credit": "הזיכוי שלכם בחנות מוכן; במייל נפרד תמצאו את הקוד.",
           "keep_item": "אפשר להשאיר את הפריט אצלכם; במייל נפרד תמצאו את הסכום שיוחזר."},
    "da": {"refund": "Din tilbagebetaling er sendt til den måde, du betalte på; "
                     "beløbet står i en separat e-mail.",
           "store_credit": "Dit tilgodehavende er klar; koden står i en separat e-mail.",
           "keep_item": "Du må beholde varen; hvad vi betaler tilbage, står i en separat e-mail."},
    "uk": {"refund": "Кошти повернено тим способом, яким ви платили; суму вказано в окремому листі.",
           "store_credit": "Ваш кредит магазину готовий; код ми надіслали окремим листом.",
           "keep_item": "Товар можна залишити собі; що ми повертаємо, вказано в окремому листі."},
}
