"""Sentences for every explanation part, in the portal's four languages (en, he, da, uk).

Our own wording, kept here as data (no gettext: the engine stays free of Django). Each
template names its parameters; `rebox.policies.explain` formats dates with Babel, money
with `Money.format`, periods with the language's plural rules and codes with `words`.
The first letter of a rendered sentence is capitalised, so a template may open with
``{law}``. A test renders every code in every language.
"""

LANGUAGES = ("en", "he", "da", "uk")

MESSAGES: dict[str, dict[str, str]] = {
    # -- window: the headline says until when, inclusive, and whose rule gives it
    "window.policy": {
        "en": "Returnable until {end} (inclusive): our {days}-day policy.",
        "he": "ניתן להחזיר עד {end} (כולל): לפי מדיניות ההחזרות שלנו, {policy_period}.",
        "da": "Kan returneres til og med {end}: vores returpolitik på {policy_period}.",
        "uk": "Можна повернути до {end} включно: наша політика повернення — {policy_period}.",
    },
    "window.policy_over_law": {
        "en": "Returnable until {end} (inclusive): our {days}-day policy ({law} gives at least {period}).",
        "he": "ניתן להחזיר עד {end} (כולל): לפי מדיניות ההחזרות שלנו, {policy_period} "
              "({law} מעניק לפחות {period}).",
        "da": "Kan returneres til og med {end}: vores returpolitik på {policy_period} "
              "({law} giver mindst {period}).",
        "uk": "Можна повернути до {end} включно: наша політика повернення — {policy_period} "
              "({law} гарантує щонайменше {period}).",
    },
    "window.law": {
        "en": "Returnable until {end} (inclusive): {law} gives you {period} from delivery.",
        "he": "ניתן להחזיר עד {end} (כולל): {law} מעניק לך {period} מיום המסירה.",
        "da": "Kan returneres til og med {end}: {law} giver dig {period} fra levering.",
        "uk": "Можна повернути до {end} включно: {law} надає вам {period} з дня отримання.",
    },
    "window.law_special": {
        "en": "Returnable until {end} (inclusive): {law} gives you {period} because you declared "
              "you are a {group}.",
        "he": "ניתן להחזיר עד {end} (כולל): {law} מעניק לך {period}, משום שהצהרת שמעמדך: {group}.",
        "da": "Kan returneres til og med {end}: {law} giver dig {period}, fordi du har oplyst, "
              "at du er {group}.",
        "uk": "Можна повернути до {end} включно: {law} надає вам {period}, оскільки ви зазначили "
              "свій статус: {group}.",
    },
    "window.law_not_informed": {
        "en": "Returnable until {end} (inclusive): you were not told about your right to cancel, "
              "so {law} extends the period.",
        "he": "ניתן להחזיר עד {end} (כולל): לא נמסר לך מידע על זכות הביטול, ולכן {law} מאריך את התקופה.",
        "da": "Kan returneres til og med {end}: du blev ikke oplyst om din fortrydelsesret, "
              "så {law} forlænger fristen.",
        "uk": "Можна повернути до {end} включно: вас не поінформували про право на відмову, "
              "тому {law} подовжує строк.",
    },
    "window.law_defect": {
        "en": "Returnable as faulty until {end} (inclusive): {right} ({law}, {period} from delivery).",
        "he": "ניתן להחזיר מוצר פגום עד {end} (כולל): {right} ({law}, {period} מיום המסירה).",
        "da": "Kan returneres som defekt til og med {end}: {right} ({law}, {period} fra levering).",
        "uk": "Товар із недоліком можна повернути до {end} включно: {right} ({law}, {period} "
              "з дня отримання).",
    },
    "window.open_until_delivery": {
        "en": "You can cancel now: the {period} that {law} gives you start when you receive the item.",
        "he": "ניתן לבטל כבר עכשיו: {period} ש{law} מעניק לך נספרים מהיום שבו הפריט יגיע אליך.",
        "da": "Du kan fortryde allerede nu: de {period}, som {law} giver dig, regnes fra den dag, "
              "du modtager varen.",
        "uk": "Ви можете відмовитися вже зараз: строк ({period}), який надає {law}, почнеться "
              "з дня отримання товару.",
    },
    "window.open_not_informed": {
        "en": "You can cancel: under {law} the period has not started, because you have not received "
              "the required information about your right to cancel.",
        "he": "ניתן לבטל: לפי {law} תקופת הביטול טרם החלה, כי לא קיבלת את המידע הנדרש על זכות הביטול.",
        "da": "Du kan fortryde: efter {law} er fristen ikke begyndt, fordi du ikke har fået de "
              "krævede oplysninger om fortrydelsesretten.",
        "uk": "Ви можете відмовитися: строк, який надає {law}, ще не почався, бо ви не отримали "
              "обов'язкової інформації про право на відмову.",
    },
    "window.rolled": {
        "en": "The last day, {original}, falls on {why}, so it moves to {end}.",
        "he": "היום האחרון, {original}, חל ב{why}, ולכן הוא נדחה ל-{end}.",
        "da": "Den sidste dag, {original}, er {why}, så fristen flyttes til {end}.",
        "uk": "Останній день, {original}, припадає на {why}, тому строк переноситься на {end}.",
    },
    "window.from_order_date": {
        "en": "No delivery is recorded yet, so the period counts from the order date ({placed}).",
        "he": "טרם נרשמה מסירה, ולכן התקופה נספרת מיום ההזמנה ({placed}).",
        "da": "Der er endnu ikke registreret en levering, så fristen regnes fra ordredatoen ({placed}).",
        "uk": "Доставку ще не зареєстровано, тому строк рахується від дати замовлення ({placed}).",
    },
    "window.closed": {
        "en": "The return period ended on {end}.",
        "he": "תקופת ההחזרה הסתיימה ב-{end}.",
        "da": "Returfristen udløb den {end}.",
        "uk": "Строк повернення закінчився {end}.",
    },
    # -- eligibility
    "eligibility.non_returnable": {
        "en": "Our policy does not accept returns of this item ({reason}).",
        "he": "לפי המדיניות שלנו לא ניתן להחזיר פריט זה ({reason}).",
        "da": "Vores politik tillader ikke returnering af denne vare ({reason}).",
        "uk": "Наша політика не передбачає повернення цього товару ({reason}).",
    },
    "eligibility.final_sale": {
        "en": "This item was sold as final sale.",
        "he": "פריט זה נמכר במכירה סופית.",
        "da": "Varen er solgt som endeligt salg.",
        "uk": "Цей товар продано як остаточний продаж.",
    },
    "eligibility.excluded_by_law": {
        "en": "The right to cancel under {law} does not cover {category}.",
        "he": "זכות הביטול לפי {law} אינה חלה על {category}.",
        "da": "Fortrydelsesretten efter {law} gælder ikke for {category}.",
        "uk": "Право на відмову, яке надає {law}, не поширюється на {category}.",
    },
    "eligibility.law_requires_unused": {
        "en": "{law} lets you return the item only if it is unused.",
        "he": "{law} מאפשר להחזיר את הפריט רק אם לא נעשה בו שימוש.",
        "da": "{law} giver kun ret til at returnere varen, hvis den er ubrugt.",
        "uk": "{law} дозволяє повернути товар, лише якщо ним не користувалися.",
    },
    "eligibility.condition_not_met": {
        "en": "Our policy needs the item to be {condition}.",
        "he": "המדיניות שלנו דורשת שהפריט יהיה {condition}.",
        "da": "Vores politik kræver, at varen er {condition}.",
        "uk": "Наша політика вимагає, щоб товар був {condition}.",
    },
    "eligibility.law_overrides_policy": {
        "en": "Even so, {law} gives you the right to cancel.",
        "he": "עם זאת, {law} מקנה לך זכות לבטל את העסקה.",
        "da": "Alligevel giver {law} dig ret til at fortryde købet.",
        "uk": "Проте {law} надає вам право відмовитися від покупки.",
    },
    "eligibility.special_group_proof": {
        "en": "We may ask for proof that you are a {group}.",
        "he": "ייתכן שנבקש אישור למעמדך: {group}.",
        "da": "Vi kan bede om dokumentation for, at du er {group}.",
        "uk": "Ми можемо попросити підтвердити ваш статус: {group}.",
    },
    "eligibility.special_group_needs_conversation": {
        "en": "The longer period for a {group} applies only when the purchase included a "
              "conversation with us, so the standard period applies.",
        "he": "התקופה המוארכת ({group}) חלה רק כשהעסקה כללה שיחה עמנו, ולכן חלה התקופה הרגילה.",
        "da": "Den længere frist ({group}) gælder kun, når købet omfattede en samtale med os, "
              "så den almindelige frist gælder.",
        "uk": "Довший строк ({group}) діє лише тоді, коли покупка включала розмову з нами, "
              "тому діє звичайний строк.",
    },
    "eligibility.recall": {
        "en": "This product is being recalled: you can return it at no cost.",
        "he": "המוצר נמצא בריקול: ניתן להחזירו ללא עלות.",
        "da": "Produktet er kaldt tilbage: du kan returnere det uden omkostninger.",
        "uk": "Цей товар відкликано: його можна повернути безкоштовно.",
    },
    "eligibility.goodwill": {
        "en": "We accept this return as a goodwill gesture.",
        "he": "אנו מקבלים את ההחזרה הזו כמחווה של רצון טוב.",
        "da": "Vi tager imod returneringen som en imødekommelse.",
        "uk": "Ми приймаємо це повернення як жест доброї волі.",
    },
    # -- how, in what state, at what cost
    "resolutions": {
        "en": "You can choose: {items}.",
        "he": "ניתן לבחור: {items}.",
        "da": "Du kan vælge: {items}.",
        "uk": "Ви можете обрати: {items}.",
    },
    "methods": {
        "en": "Send it back by: {items}.",
        "he": "אפשרויות ההחזרה: {items}.",
        "da": "Send varen retur med: {items}.",
        "uk": "Способи повернення: {items}.",
    },
    "conditions": {
        "en": "The item must be: {items}.",
        "he": "על הפריט להיות: {items}.",
        "da": "Varen skal være: {items}.",
        "uk": "Товар має бути: {items}.",
    },
    "conditions.diminished_value": {
        "en": "You may return it even if used; a loss in value from handling it more than needed to "
              "check it may be deducted ({law}).",
        "he": "ניתן להחזיר גם לאחר שימוש; ירידת ערך שנגרמה מטיפול מעבר לנדרש לבדיקת המוצר עשויה "
              "להיות מקוזזת ({law}).",
        "da": "Du kan returnere varen, selv om den er brugt; en værdiforringelse, fordi varen er "
              "håndteret mere end nødvendigt, kan blive trukket fra ({law}).",
        "uk": "Товар можна повернути, навіть якщо ним користувалися; зменшення вартості через "
              "поводження понад необхідне для перевірки може бути утримано ({law}).",
    },
    "fees.none": {"en": "No fees.", "he": "ללא עמלות.", "da": "Ingen gebyrer.", "uk": "Без комісій."},
    "fees.none_store_fault": {
        "en": "No fees: the fault is ours.",
        "he": "ללא עמלות: האחריות עלינו.",
        "da": "Ingen gebyrer: fejlen er vores.",
        "uk": "Без комісій: це наша відповідальність.",
    },
    "fees.restocking": {
        "en": "Restocking fee: {amount} ({percent}).",
        "he": "דמי טיפול: {amount} ({percent}).",
        "da": "Håndteringsgebyr: {amount} ({percent}).",
        "uk": "Комісія за повернення: {amount} ({percent}).",
    },
    "fees.restocking_capped": {
        "en": "Restocking fee: {amount} (capped).",
        "he": "דמי טיפול: {amount} (לאחר הגבלה).",
        "da": "Håndteringsgebyr: {amount} (begrænset).",
        "uk": "Комісія за повернення: {amount} (з обмеженням).",
    },
    "fees.shipping": {
        "en": "Return shipping fee: {amount}.",
        "he": "דמי משלוח החזרה: {amount}.",
        "da": "Gebyr for returfragt: {amount}.",
        "uk": "Вартість зворотної доставки: {amount}.",
    },
    "fees.capped_by_law": {
        "en": "{law} limits the fees to {cap_percent} of the price or {cap}, whichever is lower.",
        "he": "{law} מגביל את העמלות ל-{cap_percent} מהמחיר או {cap}, הנמוך מביניהם.",
        "da": "{law} begrænser gebyrerne til {cap_percent} af prisen eller {cap}, hvad der er lavest.",
        "uk": "{law} обмежує комісії до {cap_percent} ціни або {cap}, залежно від того, що менше.",
    },
    "fees.capped_by_law_percent": {
        "en": "{law} limits the fees to {cap_percent} of the price.",
        "he": "{law} מגביל את העמלות ל-{cap_percent} מהמחיר.",
        "da": "{law} begrænser gebyrerne til {cap_percent} af prisen.",
        "uk": "{law} обмежує комісії до {cap_percent} ціни.",
    },
    "fees.forbidden_by_law": {
        "en": "{law} does not allow these fees, so we do not charge them.",
        "he": "{law} אינו מתיר עמלות אלה, ולכן לא נגבה אותן.",
        "da": "{law} tillader ikke disse gebyrer, så vi opkræver dem ikke.",
        "uk": "{law} не дозволяє цих комісій, тому ми їх не стягуємо.",
    },
    "evidence.required": {
        "en": "Please add: {items}.",
        "he": "נא לצרף: {items}.",
        "da": "Vedhæft venligst: {items}.",
        "uk": "Будь ласка, додайте: {items}.",
    },
    "approval.automatic": {
        "en": "Your return is approved automatically.",
        "he": "ההחזרה מאושרת אוטומטית.",
        "da": "Din returnering godkendes automatisk.",
        "uk": "Ваше повернення схвалюється автоматично.",
    },
    "approval.review": {
        "en": "Our team reviews your request.",
        "he": "הצוות שלנו יבדוק את הבקשה.",
        "da": "Vores team gennemgår din anmodning.",
        "uk": "Наша команда розгляне ваш запит.",
    },
    "refund.within": {
        "en": "You get your money back within {period} of telling us ({law}).",
        "he": "ההחזר הכספי יבוצע תוך {period} מיום הודעתך ({law}).",
        "da": "Du får pengene tilbage senest {period} efter, at du har givet os besked ({law}).",
        "uk": "Кошти буде повернуто протягом {period} після вашого повідомлення ({law}).",
    },
    "refund.original_delivery": {
        "en": "The original delivery cost is refunded too.",
        "he": "גם דמי המשלוח המקוריים יוחזרו.",
        "da": "De oprindelige leveringsomkostninger refunderes også.",
        "uk": "Вартість початкової доставки також буде повернуто.",
    },
    "postage.store": {
        "en": "Return postage is on us.",
        "he": "משלוח ההחזרה על חשבוננו.",
        "da": "Vi betaler returportoen.",
        "uk": "Зворотну доставку оплачуємо ми.",
    },
    "postage.customer": {
        "en": "You pay the return postage.",
        "he": "משלוח ההחזרה על חשבונך.",
        "da": "Du betaler returportoen.",
        "uk": "Зворотну доставку оплачуєте ви.",
    },
}
