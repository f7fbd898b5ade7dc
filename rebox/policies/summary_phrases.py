"""The sentences only a policy summary needs, in en, he, da and uk (the engine's own are in
messages.py). Pure data."""

PHRASES: dict[str, dict[str, str]] = {
    "returnable.delivery": {
        "en": "returnable within {period} of delivery",
        "he": "ניתן להחזיר תוך {period} מיום המסירה",
        "da": "kan returneres inden for {period} fra levering",
        "uk": "строк повернення — {period} з дня отримання",
    },
    "returnable.order_date": {
        "en": "returnable within {period} of the order date",
        "he": "ניתן להחזיר תוך {period} מיום ההזמנה",
        "da": "kan returneres inden for {period} fra ordredatoen",
        "uk": "строк повернення — {period} з дня замовлення",
    },
    "returnable.law": {
        "en": "returnable within {period} of delivery ({law})",
        "he": "ניתן להחזיר תוך {period} מיום המסירה ({law})",
        "da": "kan returneres inden for {period} fra levering ({law})",
        "uk": "строк повернення — {period} з дня отримання ({law})",
    },
    "returnable.staff": {"en": "returnable", "he": "ניתן להחזרה", "da": "kan returneres",
                         "uk": "можна повернути"},
    "with_conditions": {
        "en": "{text}; the item must be {items}",
        "he": "{text}; על הפריט להיות {items}",
        "da": "{text}; varen skal være {items}",
        "uk": "{text}; товар має бути {items}",
    },
    "not_returnable": {
        "en": "{why} — not returnable",
        "he": "{why} — לא ניתן להחזרה",
        "da": "{why} — kan ikke returneres",
        "uk": "{why} — поверненню не підлягає",
    },
    "not_returnable.except_defects": {
        "en": "{why} — not returnable except for defects",
        "he": "{why} — לא ניתן להחזרה, למעט במקרה של פגם",
        "da": "{why} — kan ikke returneres, undtagen ved fejl og mangler",
        "uk": "{why} — поверненню не підлягає, крім випадків браку",
    },
    "not_returnable.plain": {"en": "not returnable", "he": "לא ניתן להחזרה", "da": "kan ikke returneres",
                             "uk": "поверненню не підлягає"},
    "not_returnable.plain.except_defects": {
        "en": "not returnable except for defects",
        "he": "לא ניתן להחזרה, למעט במקרה של פגם",
        "da": "kan ikke returneres, undtagen ved fejl og mangler",
        "uk": "поверненню не підлягає, крім випадків браку",
    },
    "fees.free_shipping": {"en": "free return shipping.", "he": "משלוח החזרה ללא עלות.",
                           "da": "gratis returfragt.", "uk": "безкоштовна зворотна доставка."},
    "fees.restocking": {
        "en": "restocking fee: {percent} of the item price.",
        "he": "דמי טיפול: {percent} ממחיר הפריט.",
        "da": "håndteringsgebyr: {percent} af varens pris.",
        "uk": "комісія за повернення: {percent} від ціни товару.",
    },
    "fees.restocking_capped": {
        "en": "restocking fee: {percent} of the item price, at most {cap}.",
        "he": "דמי טיפול: {percent} ממחיר הפריט, עד {cap}.",
        "da": "håndteringsgebyr: {percent} af varens pris, højst {cap}.",
        "uk": "комісія за повернення: {percent} від ціни товару, не більше {cap}.",
    },
    "fees.restocking_not_charged": {
        "en": "no restocking fee for you: {law} does not allow one.",
        "he": "ללא דמי טיפול עבורך: {law} אינו מתיר אותם.",
        "da": "intet håndteringsgebyr for dig: {law} tillader det ikke.",
        "uk": "для вас без комісії за повернення: {law} її не дозволяє.",
    },
    "fees.waived": {
        "en": "no fees when the item is faulty or we sent the wrong one.",
        "he": "ללא עמלות כשהפריט פגום או כששלחנו פריט שגוי.",
        "da": "ingen gebyrer, når varen er defekt, eller vi har sendt en forkert vare.",
        "uk": "без комісій, якщо товар бракований або ми надіслали не той товар.",
    },
    "evidence_for": {
        "en": "if the reason is “{reason}”, please add {items}.",
        "he": "אם הסיבה היא \"{reason}\", נא לצרף {items}.",
        "da": "hvis årsagen er „{reason}“, så vedhæft {items}.",
        "uk": "якщо причина — «{reason}», додайте {items}.",
    },
    "who.supplier": {
        "en": "items shipped directly by a partner supplier",
        "he": "פריטים שנשלחים ישירות מספק שותף",
        "da": "varer, der sendes direkte fra en samarbejdspartner",
        "uk": "товари, які надсилає безпосередньо постачальник-партнер",
    },
    "who.country": {"en": "customers in {country}", "he": "לקוחות ב{country}", "da": "kunder i {country}",
                    "uk": "країна покупця: {country}"},
    "who.price_between": {"en": "items priced {low}–{high}", "he": "פריטים במחיר {low}–{high}",
                          "da": "varer til {low}–{high}", "uk": "товари за ціною {low}–{high}"},
    "who.price_from": {"en": "items from {low}", "he": "פריטים במחיר {low} ומעלה", "da": "varer fra {low}",
                       "uk": "товари від {low}"},
    "who.price_up_to": {"en": "items up to {high}", "he": "פריטים במחיר עד {high}",
                        "da": "varer op til {high}", "uk": "товари до {high}"},
    "law.none": {
        "en": "we have no summary of the law in {country}; your local law may give you more than this "
              "policy.",
        "he": "אין בידינו סיכום של הדין החל ב{country}; ייתכן שהחוק המקומי מעניק לך יותר ממדיניות זו.",
        "da": "vi har ikke et overblik over lovgivningen i {country}; din lokale lovgivning kan give dig "
              "mere end denne politik.",
        "uk": "ми не маємо огляду законодавства країни {country}; місцеве законодавство може надавати "
              "вам більше, ніж ця політика.",
    },
    "law.withdrawal": {
        "en": "{law} lets you cancel within {period} of delivery, for any reason.",
        "he": "{law} מאפשר לך לבטל את העסקה תוך {period} מיום המסירה, מכל סיבה שהיא.",
        "da": "efter {law} kan du fortryde købet inden for {period} fra levering, uanset årsag.",
        "uk": "{law} дозволяє відмовитися від покупки протягом {period} з дня отримання без пояснення "
              "причин.",
    },
    "law.exclusions": {
        "en": "some goods are excluded, such as {categories}.",
        "he": "חלק מהמוצרים אינם כלולים, למשל {categories}.",
        "da": "nogle varer er undtaget, f.eks. {categories}.",
        "uk": "деякі товари є винятками, наприклад {categories}.",
    },
    "law.special": {
        "en": "senior citizens, people with disabilities and new immigrants have {period} when the "
              "purchase included a conversation with us (we may ask for proof).",
        "he": "אזרחים ותיקים, אנשים עם מוגבלות ועולים חדשים רשאים לבטל תוך {period}, כאשר העסקה כללה "
              "שיחה עמנו (ייתכן שנבקש אישור).",
        "da": "seniorborgere, personer med handicap og nye indvandrere har {period}, når købet omfattede "
              "en samtale med os (vi kan bede om dokumentation).",
        "uk": "люди похилого віку, особи з інвалідністю та нові репатріанти мають {period}, якщо покупка "
              "включала розмову з нами (ми можемо попросити підтвердження).",
    },
    "law.no_fees": {
        "en": "{law}: no cancellation or restocking fee may be charged in that period.",
        "he": "לפי {law} אין לגבות דמי ביטול או דמי טיפול בתקופה זו.",
        "da": "efter {law} må der ikke opkræves gebyr for fortrydelse eller håndtering i den periode.",
        "uk": "{law}: у цей період не можна стягувати плату за скасування чи повернення.",
    },
    "law.postage.customer_if_informed": {
        "en": "{law}: you pay the postage to send a cancelled item back, unless we offer a free return.",
        "he": "לפי {law}, משלוח ההחזרה בעת ביטול הוא על חשבונך, אלא אם אנו מציעים החזרה ללא עלות.",
        "da": "efter {law} betaler du returportoen ved fortrydelse, medmindre vi tilbyder gratis retur.",
        "uk": "{law}: зворотну доставку при відмові від покупки оплачуєте ви, якщо ми не пропонуємо "
              "безкоштовне повернення.",
    },
    "law.postage.customer": {
        "en": "{law}: you pay the postage to send a cancelled item back.",
        "he": "לפי {law}, משלוח ההחזרה בעת ביטול הוא על חשבונך.",
        "da": "efter {law} betaler du returportoen ved fortrydelse.",
        "uk": "{law}: зворотну доставку при відмові від покупки оплачуєте ви.",
    },
    "law.postage.store": {
        "en": "{law}: we pay the postage to send a cancelled item back.",
        "he": "לפי {law}, משלוח ההחזרה בעת ביטול הוא על חשבוננו.",
        "da": "efter {law} betaler vi returportoen ved fortrydelse.",
        "uk": "{law}: зворотну доставку при відмові від покупки оплачуємо ми.",
    },
    "law.no_withdrawal": {
        "en": "{law} gives no general right to return online purchases; this policy applies.",
        "he": "{law} אינו מעניק זכות כללית להחזיר רכישות מקוונות; חלה מדיניות זו.",
        "da": "{law} giver ingen generel ret til at returnere onlinekøb; denne politik gælder.",
        "uk": "{law} не надає загального права повертати онлайн-покупки; діє ця політика.",
    },
    "law.defect": {
        "en": "faulty items: {right}, {period} from delivery ({law}); no fees, and we pay the postage.",
        "he": "מוצר פגום: {right}, {period} מיום המסירה ({law}); ללא עמלות, ואנו משלמים את המשלוח.",
        "da": "defekte varer: {right}, {period} fra levering ({law}); ingen gebyrer, og vi betaler portoen.",
        "uk": "товар із недоліком: {right}, {period} з дня отримання ({law}); без комісій, доставку "
              "оплачуємо ми.",
    },
    "law.defect_some_goods": {
        "en": "faulty items: {right}, {period} from delivery, for certain goods ({law}); no fees, and we "
              "pay the postage.",
        "he": "מוצר פגום: {right}, {period} מיום המסירה, לסוגי מוצרים מסוימים ({law}); ללא עמלות, ואנו "
              "משלמים את המשלוח.",
        "da": "defekte varer: {right}, {period} fra levering, for visse varer ({law}); ingen gebyrer, og vi "
              "betaler portoen.",
        "uk": "товар із недоліком: {right}, {period} з дня отримання, для окремих видів товарів ({law}); "
              "без комісій, доставку оплачуємо ми.",
    },
    "law.defect_no_period": {
        "en": "faulty items: {right} ({law}); no fees, and we pay the postage.",
        "he": "מוצר פגום: {right} ({law}); ללא עמלות, ואנו משלמים את המשלוח.",
        "da": "defekte varer: {right} ({law}); ingen gebyrer, og vi betaler portoen.",
        "uk": "товар із недоліком: {right} ({law}); без комісій, доставку оплачуємо ми.",
    },
    "law.defect_no_period_some_goods": {
        "en": "faulty items: {right}, for certain goods ({law}); no fees, and we pay the postage.",
        "he": "מוצר פגום: {right}, לסוגי מוצרים מסוימים ({law}); ללא עמלות, ואנו משלמים את המשלוח.",
        "da": "defekte varer: {right}, for visse varer ({law}); ingen gebyrer, og vi betaler portoen.",
        "uk": "товар із недоліком: {right}, для окремих видів товарів ({law}); без комісій, доставку "
              "оплачуємо ми.",
    },
}

# Names of goods categories as the subject of a rule ("Sealed hygiene goods: ..."), where
# words.CATEGORIES words them as what the law excludes ("... once unsealed").
TAG_NAMES: dict[str, dict[str, str]] = {
    "en": {"sealed_hygiene": "sealed hygiene goods",
           "sealed_media_software": "sealed recordings and software"},
    "he": {"sealed_hygiene": "מוצרי היגיינה באריזה אטומה",
           "sealed_media_software": "הקלטות ותוכנה באריזה אטומה"},
    "da": {"sealed_hygiene": "forseglede hygiejnevarer",
           "sealed_media_software": "forseglede optagelser og software"},
    "uk": {"sealed_hygiene": "гігієнічні товари в запечатаній упаковці",
           "sealed_media_software": "записи та програмне забезпечення в запечатаній упаковці",
           "underwear_hosiery_bedlinen": "білизна, панчішні вироби та постільна білизна"},
}
