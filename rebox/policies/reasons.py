"""The return reasons every store starts with; the store edits its own copy."""

# code: (store's fault, {language: label})
DEFAULT_REASONS: dict[str, tuple[bool, dict[str, str]]] = {
    "too_small": (False, {"en": "Too small", "he": "קטן מדי", "da": "For lille", "uk": "Замалий"}),
    "too_large": (False, {"en": "Too large", "he": "גדול מדי", "da": "For stor", "uk": "Завеликий"}),
    "not_as_shown": (False, {"en": "Colour or look not as shown", "he": "הצבע או המראה שונים מהתמונה",
                             "da": "Farve eller udseende ikke som vist",
                             "uk": "Колір або вигляд не такі, як на фото"}),
    "defective": (True, {"en": "Defective or damaged", "he": "פגום או שבור",
                         "da": "Defekt eller beskadiget", "uk": "Бракований або пошкоджений"}),
    "wrong_item": (True, {"en": "Wrong item sent", "he": "נשלח פריט שגוי", "da": "Forkert vare sendt",
                          "uk": "Надіслано не той товар"}),
    "not_as_described": (True, {"en": "Not as described", "he": "לא תואם לתיאור",
                                "da": "Ikke som beskrevet", "uk": "Не відповідає опису"}),
    "arrived_late": (True, {"en": "Arrived too late", "he": "הגיע באיחור", "da": "Kom for sent",
                            "uk": "Прибув занадто пізно"}),
    "changed_mind": (False, {"en": "Changed my mind", "he": "התחרטתי", "da": "Fortrudt køb",
                             "uk": "Передумав(-ла)"}),
    "other": (False, {"en": "Other", "he": "אחר", "da": "Andet", "uk": "Інше"}),
}
