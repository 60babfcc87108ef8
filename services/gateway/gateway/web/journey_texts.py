"""Texts of the journeys of issue 18 (who responded, the chat's context, the wizard without a match,
the account and the assistant's calendar): (German, English), merged into the main catalogue."""

from __future__ import annotations

JOURNEY_MESSAGES: dict[str, tuple[str, str]] = {
    "nav_contracts": ("Verträge", "Contracts"),
    # who responded
    "self_employed_assistant": ("Selbstständige Assistenz-Kraft", "Self-employed assistant"),
    "assistant_of": ("Assistenz-Kraft von {provider}", "Assistant of {provider}"),
    "provider_chooses": (
        "die Koordination schlägt eine Assistenz-Kraft vor",
        "the coordinator proposes an assistant",
    ),
    "wishes_met": ("Erfüllt Ihre Wünsche", "Meets your wishes"),
    "wishes_missing": ("Erfüllt nicht", "Does not meet"),
    # the wizard when nobody matches yet
    "nobody_yet_hint": (
        "Im Moment passt noch niemand. Sie können den Auftrag trotzdem freigeben: Er bleibt offen, und "
        "Assistenz-Kräfte, die sich neu anmelden und passen, werden informiert.",
        "Nobody matches right now. You can still publish the order: it stays open, and assistants who "
        "join and match are informed.",
    ),
    "widen_hint": ("So finden Sie eher jemanden:", "This way you find somebody sooner:"),
    "widen_distance": ("Entfernung auf {km} km erweitern", "Widen the distance to {km} km"),
    "without_traits": ("Ohne die gewünschten Eigenschaften", "Without the wished-for traits"),
    "without_activity": ("Ohne „{activity}“", "Without “{activity}”"),
    "published_nobody_yet": (
        "Ihr Auftrag ist freigegeben. Im Moment passt noch niemand. Der Auftrag bleibt offen: Sobald eine "
        "passende Assistenz-Kraft dazukommt, wird sie informiert, und Sie bekommen eine Benachrichtigung, "
        "wenn jemand Interesse hat.",
        "Your order is published. Nobody matches right now. The order stays open: as soon as a matching "
        "assistant joins, they are informed, and you are notified when somebody is interested.",
    ),
    # the chat's context
    "chat_with": ("Chat mit {name}", "Chat with {name}"),
    "chat_about": ("Zum Auftrag: {order}", "About the order: {order}"),
    "the_seeker": ("der suchenden Person", "the person seeking help"),
    "video_call": ("Video-Anruf starten", "Start video call"),
    "video_join": ("Video-Raum öffnen", "Open video room"),
    "new_window": ("öffnet ein neues Fenster", "opens a new window"),
    "video_hint": (
        "Der Video-Raum öffnet sich in einem neuen Fenster. Beide sehen hier den Link.",
        "The video room opens in a new window. Both of you see the link here.",
    ),
    "video_started": (
        "Der Video-Raum ist bereit. Ihr Gegenüber sieht den Link im Chat.",
        "The video room is ready. The other side sees the link in the chat.",
    ),
    "video_message": (
        "Ich habe einen Video-Raum geöffnet. Sie finden den Link oben im Chat.",
        "I opened a video room. You find the link at the top of the chat.",
    ),
    # „Mein Konto“
    "my_account": ("Mein Konto", "My account"),
    "personal_data": ("Persönliche Daten", "Personal data"),
    "change_data": ("Persönliche Daten ändern", "Change personal data"),
    "full_name": ("Vor- und Nachname", "First and last name"),
    "email_address": ("E-Mail-Adresse", "E-mail address"),
    "phone_number": ("Telefon-Nummer", "Phone number"),
    "email_or_phone_hint": (
        "Geben Sie eine E-Mail-Adresse oder eine Telefon-Nummer an (oder beides).",
        "Enter an e-mail address or a phone number (or both).",
    ),
    "introduction_label": ("Kurzvorstellung", "Short introduction"),
    "introduction_hint": (
        "Das sehen Assistenz-Kräfte, wenn Sie einen Auftrag erstellen (Sie können es dort ändern).",
        "Assistants see this when you create an order (you can change it there).",
    ),
    "cancel": ("Abbrechen", "Cancel"),
    "enter_name": ("Geben Sie Ihren Vor- und Nachnamen ein.", "Enter your first and last name."),
    "enter_email_or_phone": (
        "Geben Sie eine E-Mail-Adresse oder eine Telefon-Nummer ein.",
        "Enter an e-mail address or a phone number.",
    ),
    "data_saved": ("Ihre Daten sind gespeichert.", "Your data are saved."),
    "change_password": ("Passwort ändern", "Change password"),
    "current_password": ("Ihr jetziges Passwort", "Your current password"),
    "new_password": ("Neues Passwort", "New password"),
    "new_password_hint": (
        "Mindestens 12 Zeichen; am besten ein Satz, den Sie sich merken können.",
        "At least 12 characters; best a sentence you can remember.",
    ),
    "new_password_again": ("Neues Passwort wiederholen", "Repeat the new password"),
    "enter_current_password": ("Geben Sie Ihr jetziges Passwort ein.", "Enter your current password."),
    "enter_new_password": ("Geben Sie ein neues Passwort ein.", "Enter a new password."),
    "enter_same_password": (
        "Geben Sie das neue Passwort noch einmal genau gleich ein.",
        "Enter the new password once more, exactly the same.",
    ),
    "password_changed": ("Ihr Passwort ist geändert.", "Your password is changed."),
    "delete_account": ("Konto löschen", "Delete account"),
    "delete_account_what": (
        "Wenn Sie Ihr Konto löschen, können Sie sich nicht mehr anmelden. Ihre offenen Aufträge enden. "
        "Nach der Aufbewahrungs-Frist werden Ihre Daten gelöscht; bis dahin kann der Kunden-Service die "
        "Löschung rückgängig machen.",
        "If you delete your account, you can no longer sign in. Your open orders end. After the retention "
        "period your data are erased; until then customer service can undo the deletion.",
    ),
    "delete_account_confirm": ("Ja, ich möchte mein Konto löschen.", "Yes, I want to delete my account."),
    "delete_account_yes": ("Konto endgültig löschen", "Delete account for good"),
    "delete_account_no": ("Nein, zurück zu Mein Konto", "No, back to my account"),
    "confirm_deletion": (
        "Setzen Sie das Häkchen, wenn Sie Ihr Konto wirklich löschen möchten.",
        "Tick the box if you really want to delete your account.",
    ),
    "account_deleted": ("Ihr Konto ist gelöscht", "Your account is deleted"),
    "account_deleted_text": (
        "Sie sind abgemeldet. Ihre Daten werden am {day} endgültig gelöscht. Bis dahin kann der "
        "Kunden-Service die Löschung rückgängig machen.",
        "You are signed out. Your data are erased for good on {day}. Until then customer service can undo it.",
    ),
    # field errors say what to enter
    "enter_date": ("Geben Sie das Datum ein (zum Beispiel 07.12.2026).", "Enter the date (for example 2026-12-07)."),
    "enter_start_time": (
        "Geben Sie ein, wann es beginnt (zum Beispiel 09:00).",
        "Enter when it starts (for example 09:00).",
    ),
    "enter_end_time": ("Geben Sie ein, wann es endet (zum Beispiel 11:00).", "Enter when it ends (for example 11:00)."),
    "enter_start_date": ("Geben Sie das Datum des ersten Termins ein.", "Enter the date of the first appointment."),
    "choose_for_whom": (
        "Wählen Sie eine Person aus: Für wen ist der Auftrag?",
        "Choose a person: For whom is the order?",
    ),
    "enter_message": ("Schreiben Sie eine Nachricht.", "Write a message."),
    "enter_login": (
        "Geben Sie Ihre E-Mail-Adresse oder Telefon-Nummer ein.",
        "Enter your e-mail address or phone number.",
    ),
    "enter_password": ("Geben Sie Ihr Passwort ein.", "Enter your password."),
    "glossary": ("Begriffe", "Glossary"),
    "glossary_intro": (
        "Diese Wörter benutzt das Portal. Hier steht, was sie bedeuten.",
        "These are the words the portal uses, and what they mean.",
    ),
    # empty states say what to do next
    "no_enrollments_facility": (
        "Noch keine Anmeldungen. Sobald Familien sich für eines Ihrer Angebote anmelden, stehen sie hier. "
        "Prüfen Sie, ob Ihr Angebot veröffentlicht ist, oder wählen Sie oben einen anderen Status.",
        "No enrollments yet. As soon as families enroll in one of your offers, they show here. Check that your "
        "offer is published, or choose another status above.",
    ),
    "find_facility_offers": (
        "Angebote von Einrichtungen ansehen und anmelden",
        "See the offers of facilities and enroll",
    ),
    # the assistant's calendar and feed
    "calendar": ("Kalender", "Calendar"),
    "calendar_hint": (
        "Ihre angebotenen, geplanten und laufenden Einsätze mit ihren Terminen.",
        "Your offered, planned and active assignments with their appointments.",
    ),
    "assignments_as_list": ("Einsätze als Liste", "Assignments as a list"),
    "calendar_views": ("Ansicht des Kalenders", "Calendar view"),
    "week": ("Woche", "Week"),
    "month": ("Monat", "Month"),
    "today": ("Heute", "Today"),
    "earlier_week": ("Vorige Woche", "Previous week"),
    "later_week": ("Nächste Woche", "Next week"),
    "earlier_month": ("Voriger Monat", "Previous month"),
    "later_month": ("Nächster Monat", "Next month"),
    "appointments_in_period": ("Termine in diesem Zeitraum", "Appointments in this period"),
    "no_appointments": (
        "In diesem Zeitraum haben Sie keine Termine. Neue Einsätze finden Sie auf Ihrer Übersicht.",
        "You have no appointments in this period. You find new assignments on your overview.",
    ),
    "feed_title": ("Im Handy-Kalender abonnieren", "Subscribe in your phone's calendar"),
    "feed_hint": (
        "Mit einer geheimen Adresse zeigt Ihr Handy-Kalender Ihre Einsätze. Der Kalender wird jedes Mal "
        "aktualisiert, wenn Sie diese Seite öffnen. Sie können die Adresse jederzeit beenden oder erneuern.",
        "With a secret address your phone's calendar shows your assignments. It is updated each time you open "
        "this page. You can end or renew the address at any time.",
    ),
    "feed_url": ("Adresse für Ihren Kalender (kopieren)", "Address for your calendar (copy it)"),
    "feed_once": (
        "Die Adresse wird nur jetzt angezeigt. Geben Sie sie niemandem weiter.",
        "The address is shown only now. Do not pass it on.",
    ),
    "feed_active": ("Ihr Kalender-Abo ist eingerichtet.", "Your calendar subscription is set up."),
    "feed_create": ("Kalender-Adresse erstellen", "Create calendar address"),
    "feed_renew": ("Neue Adresse erstellen (die alte hört auf)", "Create a new address (the old one stops)"),
    "feed_end": ("Kalender-Abo beenden", "End calendar subscription"),
    "feed_ready": ("Ihre Kalender-Adresse ist bereit.", "Your calendar address is ready."),
    "feed_ended": ("Das Kalender-Abo ist beendet. Die Adresse funktioniert nicht mehr.", "The subscription ended."),
    "feed_unknown": ("Diesen Kalender gibt es nicht (mehr).", "This calendar does not exist (any more)."),
    "availability_missing": (
        "Sie haben noch keine Zeiten angegeben, zu denen Sie können. Darum passen Aufträge nicht zu Ihnen, "
        "und Sie bekommen keine Anfragen.",
        "You have not said yet when you are available. That is why orders do not fit you and you get no requests.",
    ),
    "availability_enter": ("Verfügbarkeit eintragen", "Enter your availability"),
    # coordinators act for seekers
    "seeker_login": (
        "E-Mail-Adresse oder Telefon-Nummer der suchenden Person",
        "E-mail address or phone number of the person seeking help",
    ),
    "seeker_login_hint": (
        "So, wie die Person sie im Portal angegeben hat. Sie finden nur freigeschaltete suchende Personen.",
        "As the person gave it in the portal. You find only activated seekers.",
    ),
    "enter_seeker_login": (
        "Geben Sie die E-Mail-Adresse oder Telefon-Nummer der suchenden Person ein.",
        "Enter the e-mail address or phone number of the person seeking help.",
    ),
    "seeker_not_found": (
        "Unter dieser Angabe ist keine suchende Person freigeschaltet. Prüfen Sie die Schreibweise.",
        "No activated person seeking help has this address or number. Check the spelling.",
    ),
    "order_for_a_seeker": ("Auftrag für eine suchende Person erstellen", "Create an order for a seeker"),
    "orders_created": ("Aufträge, die Sie angelegt haben", "Orders you created"),
}
