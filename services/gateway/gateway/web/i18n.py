"""A small message catalogue: German first (plain language), English as the switch."""

from __future__ import annotations

from gateway.web.catalogue import Catalogue
from gateway.web.journey_texts import JOURNEY_MESSAGES
from teilhabe_events.activities import ACTIVITY_LABELS, TRAIT_LABELS, Activity, Trait

LANGUAGES = ("de", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "site": ("Assistenz-Portal", "Assistance portal"),
    "skip": ("Zum Inhalt springen", "Skip to content"),
    "nav": ("Hauptnavigation", "Main navigation"),
    "home": ("Startseite", "Home"),
    "easy": ("Leichte Sprache", "Easy-to-read"),
    "financing": ("Finanzierung", "Financing"),
    "settings": ("Einstellungen", "Settings"),
    "login": ("Anmelden", "Sign in"),
    "logout": ("Abmelden", "Sign out"),
    "dashboard": ("Übersicht", "Overview"),
    "notifications": ("Benachrichtigungen", "Notifications"),
    "unread": ("ungelesen", "unread"),
    "language": ("Sprache", "Language"),
    "switch_lang": ("English", "Deutsch"),
    "contact": (
        "Kunden-Service: 0800-881 1882 (werktags 8 bis 16 Uhr)",
        "Customer service: 0800-881 1882 (weekdays 8 am to 4 pm)",
    ),
    "required": ("Pflichtfeld", "required"),
    "error_summary": ("Bitte prüfen Sie Ihre Angaben", "Please check what you entered"),
    "back": ("Zurück", "Back"),
    "next": ("Weiter", "Next"),
    "save": ("Speichern", "Save"),
    "step_of": ("Schritt {n} von {total}", "Step {n} of {total}"),
    "title_403": ("Nicht erlaubt", "Not allowed"),
    "title_404": ("Nicht gefunden", "Not found"),
    "title_502": ("Gerade nicht erreichbar", "Not reachable right now"),
    "title_503": ("Gerade nicht erreichbar", "Not reachable right now"),
    "title_429": ("Zu viele Versuche", "Too many attempts"),
    "title_405": ("Nicht gefunden", "Not found"),
    "title_422": ("Adresse nicht gültig", "Address not valid"),
    "title_error": ("Das hat nicht geklappt", "That did not work"),
    "bad_address": (
        "Die Adresse dieser Seite ist nicht vollständig oder nicht richtig. Bitte gehen Sie zurück und "
        "öffnen Sie die Seite noch einmal über einen Link.",
        "The address of this page is incomplete or wrong. Please go back and open the page again from a link.",
    ),
    "unexpected": (
        "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.",
        "Something went wrong. Please try again.",
    ),
    "counseling_clients": ("Ratsuchende", "Clients"),
    "bookmarked": ("Die Person steht auf Ihrer Merkliste.", "The person is on your bookmark list."),
    "unbookmarked": (
        "Die Person steht nicht mehr auf Ihrer Merkliste.",
        "The person is no longer on your bookmark list.",
    ),
    "note_saved": ("Die Notiz ist gespeichert.", "The note has been saved."),
    "master_data_saved": ("Die Stammdaten sind gespeichert.", "The master data has been saved."),
    "primary_saved": ("Die Stammberatung ist gespeichert.", "The primary counselor has been saved."),
    "message_sent": ("Die Nachricht ist gesendet.", "The message has been sent."),
    "profile_saved": ("Ihr Profil ist gespeichert.", "Your profile has been saved."),
    "photo_saved": ("Ihr Profilbild ist gespeichert.", "Your profile photo has been saved."),
    "photo_deleted": ("Ihr Profilbild ist gelöscht.", "Your profile photo has been deleted."),
    "note_deleted": ("Die Notiz ist gelöscht.", "The note has been deleted."),
    "record_saved": ("Das Monitoring ist gespeichert.", "The case record has been saved."),
    "client_lock": ("Die Person ist gesperrt.", "The person is blocked."),
    "client_unlock": ("Die Person ist entsperrt.", "The person is unblocked."),
    "client_deletion": ("Die Person ist zum Löschen vorgemerkt.", "The person is marked for deletion."),
    "client_restore": ("Die Löschung ist zurückgenommen.", "The deletion has been undone."),
    "group_created": ("Die Gruppe ist angelegt.", "The group has been created."),
    "group_deleted": ("Die Gruppe ist gelöscht.", "The group has been deleted."),
    "member_added": ("Die Person ist jetzt in der Gruppe.", "The person is in the group now."),
    "member_removed": ("Die Person ist nicht mehr in der Gruppe.", "The person is no longer in the group."),
    "client_password_changed": ("Ihr Passwort ist geändert.", "Your password has been changed."),
    "contact_saved": ("Ihre Angaben sind gespeichert.", "Your details have been saved."),
    "appointment_booked": ("Ihr Termin ist gebucht.", "Your appointment is booked."),
    "appointment_cancelled": ("Ihr Termin ist abgesagt.", "Your appointment is cancelled."),
    "appointment_moved": ("Ihr Termin ist verschoben.", "Your appointment has been moved."),
    "link_by_mail": (
        "Den Link dazu haben wir Ihnen per E-Mail oder SMS geschickt.",
        "We sent you the link for this by e-mail or text message.",
    ),
    "error_back": ("Zurück zur vorigen Seite", "Back to the previous page"),
    "error_home": ("Zu Ihrer Startseite", "To your start page"),
    "rate_limited": (
        "Es gab zu viele Versuche in kurzer Zeit. Bitte warten Sie {seconds} Sekunden und versuchen "
        "Sie es dann noch einmal.",
        "There were too many attempts in a short time. Please wait {seconds} seconds and then try again.",
    ),
    "service_down": (
        "Dieser Teil der Plattform ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute noch einmal.",
        "This part of the platform is not reachable right now. Please try again in a minute.",
    ),
    "forbidden": ("Das dürfen Sie mit Ihrem Konto nicht tun.", "Your account may not do this."),
    "not_found": ("Diese Seite gibt es nicht.", "This page does not exist."),
    "csrf": (
        "Die Seite war zu lange offen. Bitte senden Sie das Formular noch einmal.",
        "The page was open too long. Please send the form again.",
    ),
    "too_many": ("Zu viele Versuche. Bitte warten Sie einen Moment.", "Too many attempts. Please wait a moment."),
    # start page
    "start_title": ("Assistenz finden und Assistenz geben", "Find assistance and offer assistance"),
    "start_intro": (
        "Das Portal bringt Menschen, die Assistenz suchen, mit Assistenz-Kräften zusammen.",
        "The portal brings people who look for assistance together with assistants.",
    ),
    "start_seek": ("Ich suche Assistenz", "I am looking for assistance"),
    "start_seek_text": (
        "Sie brauchen Hilfe im Alltag? Zum Beispiel beim Einkaufen oder bei Terminen?",
        "Do you need help in everyday life? For example with shopping or appointments?",
    ),
    "start_give": ("Ich möchte Assistenz geben", "I want to offer assistance"),
    "start_give_text": (
        "Sie möchten Menschen im Alltag helfen? Ehrenamtlich, angestellt oder selbstständig?",
        "You want to help people in everyday life? As a volunteer, employee or self-employed?",
    ),
    "no_account": ("Haben Sie noch kein Konto? Jetzt registrieren", "No account yet? Register now"),
    "assistant_register": ("Als Assistenz-Kraft registrieren", "Register as an assistant"),
    "steps_title": ("So geht es", "How it works"),
    "step1": ("Sie registrieren sich.", "You register."),
    "step2": (
        "Sie führen ein kurzes Kennenlern-Gespräch mit dem Kunden-Service.",
        "You have a short introductory call with customer service.",
    ),
    "step3": (
        "Sie zeigen Ihren Personal-Ausweis. Dann werden Sie freigeschaltet.",
        "You show your identity card. Then your account is activated.",
    ),
    "step4": (
        "Sie erstellen Such-Aufträge oder erhalten passende Anfragen.",
        "You create search orders or receive matching requests.",
    ),
    "step5": (
        "Bei gegenseitiger Sympathie schließen Sie einen Vertrag.",
        "If you like each other, you sign a contract.",
    ),
    # login
    "email": ("E-Mail-Adresse", "E-mail address"),
    "password": ("Passwort", "Password"),
    "login_name": ("E-Mail-Adresse oder Telefon-Nummer", "E-mail address or phone number"),
    "login_failed": (
        "E-Mail-Adresse oder Passwort stimmen nicht. Oder Ihr Konto ist noch nicht freigeschaltet.",
        "E-mail or password is wrong. Or your account is not activated yet.",
    ),
    "forgot_title": ("Passwort vergessen?", "Forgot your password?"),
    "forgot_sent": (
        "Wenn es ein Konto dazu gibt, schicken wir Ihnen einen Link zum Ändern des Passworts.",
        "If there is an account, we send you a link to change the password.",
    ),
    "send_link": ("Link schicken", "Send link"),
    "reset_title": ("Neues Passwort festlegen", "Set a new password"),
    "reset_invalid": (
        "Der Link ist abgelaufen oder wurde schon benutzt. Bitte fordern Sie einen neuen an.",
        "The link has expired or was used already. Please ask for a new one.",
    ),
    "password_changed": (
        "Ihr Passwort ist geändert. Sie können sich jetzt anmelden.",
        "Your password is changed. You can sign in now.",
    ),
    "logged_out": ("Sie sind abgemeldet.", "You are signed out."),
    # counseling centres (the pages' own texts: gateway/web/centres/texts.py)
    "centre_invitation_accepted": (
        "Sie gehören jetzt zum Team. Bitte melden Sie sich an.",
        "You are now part of the team. Please sign in.",
    ),
    "centre_invited": ("Die Einladung ist verschickt.", "The invitation is sent."),
    "centre_role_changed": ("Die Rolle ist geändert.", "The role is changed."),
    "centre_removed": ("Die Person gehört nicht mehr zum Team.", "The person is no longer part of the team."),
    "centre_seats_requested": (
        "Ihre Anfrage ist angekommen. Die Plattform-Verwaltung meldet sich bei Ihnen.",
        "Your request has arrived. The platform's administration will contact you.",
    ),
    "centre_switched": ("Sie arbeiten jetzt für eine andere Beratungsstelle.", "You now work for another centre."),
    "centre_team": ("Team", "Team"),
    "centre_finder": ("Beratung finden", "Find counseling"),
    "centre_self_service": ("Unsere Beratungsstelle", "Our counseling centre"),
    "centre_onboarding": ("Beratungsstellen", "Counseling centres"),
    "centre_switch": ("Meine Beratungsstellen", "My counseling centres"),
    "centre_saved": ("Gespeichert. Die Änderung steht im Finder.", "Saved. The change is in the finder."),
    # settings
    "font_size": ("Schrift-Größe", "Font size"),
    "font_normal": ("Normal", "Normal"),
    "font_large": ("Groß", "Large"),
    "font_xlarge": ("Sehr groß", "Very large"),
    "saved": ("Gespeichert.", "Saved."),
    # seeker registration
    "reg_title": ("Registrierung für Assistenz-Suchende", "Registration for people seeking assistance"),
    "reg_welcome": (
        "Willkommen! Hier können Sie sich registrieren. Das dauert etwa 10 Minuten. "
        "Sie können jederzeit zurückgehen und Angaben ändern.",
        "Welcome! You can register here. It takes about 10 minutes. You can go back and change things at any time.",
    ),
    "reg_start": ("Registrierung starten", "Start registration"),
    "reg_step_intro": ("Über Sie", "About you"),
    "reg_step_needs": ("Unterstützungs-Bedarf", "Support needs"),
    "reg_step_times": ("Zeitfenster", "Time windows"),
    "reg_step_credentials": ("Zugangsdaten", "Sign-in details"),
    "reg_step_review": ("Angaben prüfen", "Check your details"),
    "reg_step_consents": ("Einwilligungen", "Consents"),
    "name": ("Vor- und Nachname", "First and last name"),
    "phone": ("Telefon-Nummer", "Phone number"),
    "contact_hint": (
        "Bitte geben Sie mindestens E-Mail-Adresse oder Telefon-Nummer an.",
        "Please give at least an e-mail address or a phone number.",
    ),
    "postcode": ("Postleitzahl", "Postcode"),
    "postcode_hint": ("5 Ziffern, zum Beispiel 37154", "5 digits, for example 37154"),
    "introduction": ("Kurzvorstellung", "Short introduction"),
    "introduction_hint": (
        "Schreiben Sie etwas über sich. Oder: Das ist mir bei einer Assistenz-Beziehung wichtig.",
        "Write something about yourself. Or: this matters to me in an assistance relationship.",
    ),
    "needs_hint": (
        "Klicken Sie die Tätigkeiten an, für die Sie Unterstützung brauchen.",
        "Tick the activities you need support with.",
    ),
    "times_hint": (
        "An welchen Tagen und zu welchen Zeiten möchten Sie Assistenz erhalten? Je größer die "
        "Zeitfenster, desto wahrscheinlicher finden Sie eine Assistenz-Kraft. Uhrzeiten so: 09:30",
        "On which days and at what times would you like assistance? The larger the time "
        "windows, the more likely you find an assistant. Times like this: 09:30",
    ),
    "times_missing": (
        "Bitte geben Sie mindestens eine Zeit an: von und bis, das Ende nach dem Beginn.",
        "Please give at least one time: from and to, the end after the start.",
    ),
    "from": ("von", "from"),
    "to": ("bis", "to"),
    "password_hint": ("Mindestens 10 Zeichen.", "At least 10 characters."),
    "password_repeat": ("Passwort wiederholen", "Repeat password"),
    "consent_privacy": ("Ich akzeptiere die Datenschutz-Erklärung.", "I accept the privacy policy."),
    "consent_withdrawal": ("Ich habe das Widerrufs-Recht gelesen.", "I have read the right of withdrawal."),
    "consent_terms": ("Ich akzeptiere die Allgemeinen Geschäfts-Bedingungen.", "I accept the terms and conditions."),
    "consent_data_processing": (
        "Ich bin mit der Bearbeitung meiner Daten einverstanden.",
        "I agree to the processing of my data.",
    ),
    "reg_submit": ("Registrierung abschließen", "Complete registration"),
    "reg_done_title": ("Vielen Dank für Ihre Registrierung", "Thank you for registering"),
    "reg_done_text": (
        "Der Kunden-Service meldet sich bei Ihnen für ein kurzes Kennenlern-Gespräch per "
        "Telefon oder Video. Bitte halten Sie Ihren Personal-Ausweis bereit. Danach werden "
        "Sie freigeschaltet.",
        "Customer service will contact you for a short introductory call by phone or "
        "video. Please have your identity card ready. Then your account is activated.",
    ),
    "change": ("Ändern", "Change"),
    "none_chosen": ("Nichts ausgewählt", "Nothing chosen"),
    # assistant registration
    "areg_title": ("Registrierung für Assistenz-Kräfte", "Registration for assistants"),
    "activities": ("Tätigkeiten", "Activities"),
    "availability": ("Verfügbarkeit", "Availability"),
    "availability_hint": (
        "An welchen Tagen und zu welchen Zeiten haben Sie prinzipiell Zeit? Je mehr "
        "Zeiten, umso mehr passende Angebote. Uhrzeiten so: 09:30",
        "On which days and at what times are "
        "you usually free? The more times, the more matching requests. Times like this: 09:30",
    ),
    "radius": ("Wie weit fahren Sie? (Kilometer)", "How far do you travel? (kilometres)"),
    "traits": ("Eigenschaften", "Traits"),
    "provider": ("Leistungs-Anbieter", "Service provider"),
    "provider_hint": (
        "Wählen Sie Ihren Leistungs-Anbieter. Oder: Ich bin selbstständig.",
        "Choose your service provider. Or: I am self-employed.",
    ),
    "self_employed": ("Ich bin selbstständig als Assistenz-Kraft tätig.", "I am a self-employed assistant."),
    "request_activation": ("Freischaltung beantragen", "Request activation"),
    "areg_done_text": (
        "Der Kunden-Service meldet sich für ein Kennenlern-Gespräch. Danach meldet sich Ihr "
        "Leistungs-Anbieter. Wenn das Führungs-Zeugnis vorliegt, werden Sie freigeschaltet.",
        "Customer service will contact you for an introductory call, then your provider. "
        "Once the police certificate is there, your account is activated.",
    ),
    # seeker
    "seeker_dashboard": ("Meine Aufträge", "My orders"),
    "new_order": ("Neuen Auftrag erstellen", "Create a new order"),
    "for_whom": ("Für wen ist der Auftrag?", "Who is the order for?"),
    "for_whom_hint": (
        "Sie können Aufträge für die Personen anlegen, für die Sie als Betreuung eingetragen sind.",
        "You can create orders for the people you are registered as guardian for.",
    ),
    "not_your_ward": (
        "Für diese Person dürfen Sie keinen Auftrag anlegen: Sie sind nicht als ihre Betreuung "
        "eingetragen. Bitte wählen Sie eine Person aus der Liste.",
        "You may not create an order for this person: you are not registered as their guardian. "
        "Please choose a person from the list.",
    ),
    "no_wards": (
        "Sie sind für niemanden als Betreuung eingetragen. Bitte wenden Sie sich an den Kunden-Service.",
        "You are not registered as guardian for anyone. Please contact customer service.",
    ),
    "orders_of": ("Aufträge von {name}", "Orders of {name}"),
    "order_for": ("Auftrag für", "Order for"),
    "orders": ("Aufträge", "Orders"),
    "in_progress": ("In Bearbeitung", "In progress"),
    "drafts": ("Entwürfe", "Drafts"),
    "no_orders": (
        "Noch keine Aufträge. Mit „Neuen Auftrag erstellen“ sagen Sie, wann und wofür Sie Unterstützung brauchen.",
        "No orders yet. With “Create a new order” you say when and for what you need support.",
    ),
    "order_kind": ("Art des Auftrags", "Kind of order"),
    "one_time": ("Einmalig", "One-time"),
    "recurring": ("Wiederkehrend", "Recurring"),
    "description": ("Beschreibung", "Description"),
    "description_hint": (
        "Dieser Text wird den verfügbaren Assistenz-Kräften angezeigt.",
        "This text is shown to the available assistants.",
    ),
    "date": ("Datum", "Date"),
    "start_time": ("Beginn", "Start"),
    "end_time": ("Ende", "End"),
    "transport": ("Ich brauche einen Fahrdienst.", "I need a driving service."),
    "start_date": ("Beginn (Datum)", "Start date"),
    "interval": ("Intervall", "Interval"),
    "weekly": ("wöchentlich", "weekly"),
    "biweekly": ("alle zwei Wochen", "every two weeks"),
    "monthly": ("monatlich", "monthly"),
    "per_interval": ("Anzahl Termine im Intervall", "Appointments per interval"),
    "time_ranges": ("Zeiträume", "Time ranges"),
    "order_activities_hint": (
        "Tipp: Kreuzen Sie möglichst wenige Tätigkeiten an. Dann ist die Chance auf ein passendes Angebot größer.",
        "Tip: tick as few activities as possible. That raises the chance of a matching offer.",
    ),
    "use_my_needs": ("Meinen Unterstützungs-Bedarf übernehmen", "Use my registered needs"),
    "order_traits_hint": (
        "Welche Eigenschaften sind Ihnen bei der Assistenz-Kraft wichtig?",
        "Which traits matter to you in an assistant?",
    ),
    "max_distance": ("Höchste Entfernung (Kilometer)", "Maximum distance (kilometres)"),
    "live_count": ("{n} verfügbare Assistenz-Kräfte gefunden", "{n} available assistants found"),
    "publish": ("Auftrag freigeben", "Publish order"),
    "order_step_kind": ("Art und Beschreibung", "Kind and description"),
    "order_step_dates": ("Termine", "Dates"),
    "time_format": ("Bitte geben Sie die Uhrzeit so an: 09:30", "Please give the time like this: 09:30"),
    "end_after_start": ("Das Ende muss nach dem Beginn liegen.", "The end must be after the start."),
    "order_incomplete": (
        "Es fehlen noch Angaben. Bitte gehen Sie die Schritte noch einmal durch.",
        "Some details are missing. Please go through the steps again.",
    ),
    "count_unknown": (
        "Sobald Termine und Tätigkeiten angegeben sind, sehen Sie hier, wie viele Assistenz-Kräfte verfügbar sind.",
        "Once dates and activities are given, you see here how many assistants are available.",
    ),
    "available_title": ("Verfügbare Assistenz-Kräfte", "Available assistants"),
    "new_order_title": ("Neuer Auftrag", "New order"),
    "published": (
        "Ihr Auftrag ist freigegeben. Passende Assistenz-Kräfte werden jetzt informiert. Sie bekommen eine "
        "Benachrichtigung, wenn jemand Interesse hat.",
        "Your order is published. Matching assistants are being informed now. You are notified when somebody "
        "is interested.",
    ),
    "offers": ("Angebote", "Offers"),
    "no_offers": (
        "Noch hat niemand Ihren Auftrag angenommen. Sie werden benachrichtigt.",
        "Nobody has taken up your order yet. You will be notified.",
    ),
    "award": ("Auftrag erteilen", "Award order"),
    "send_request": ("Anfrage senden", "Send request"),
    "open_chat": ("Chat öffnen", "Open chat"),
    "decline": ("Ablehnen", "Decline"),
    "withdraw_order": ("Auftrag löschen", "Delete order"),
    "withdraw_question": ("Möchten Sie diesen Auftrag wirklich löschen?", "Do you really want to delete this order?"),
    "withdraw_awarded": (
        "Sie haben den Auftrag schon erteilt. Wenn Sie ihn löschen, kommt kein Vertrag zustande.",
        "You already awarded the order. If you delete it, no contract is made.",
    ),
    "withdraw_yes": ("Ja, Auftrag löschen", "Yes, delete the order"),
    "withdraw_no": ("Nein, zurück zum Auftrag", "No, back to the order"),
    "award_hint": (
        "„Auftrag erteilen“ ist eine verbindliche Anfrage an die Assistenz-Kraft. Dann wird ein "
        "persönlicher Kennenlern-Termin vereinbart.",
        "“Award order” is a binding request to the assistant. Then a personal meeting is arranged.",
    ),
    "status": ("Stand", "Status"),
    "assistant": ("Assistenz-Kraft", "Assistant"),
    "financing_link": (
        "Wer bezahlt die Assistenz? Informationen zur Finanzierung",
        "Who pays for assistance? Information on financing",
    ),
    "order_draft": ("Entwurf", "Draft"),
    "order_published": ("Freigegeben – wir suchen passende Assistenz-Kräfte", "Published – looking for assistants"),
    "order_awarded": ("Auftrag erteilt", "Awarded"),
    "order_fulfilled": ("Vertrag geschlossen", "Contract signed"),
    "order_withdrawn": ("Gelöscht", "Deleted"),
    "offer_submitted": ("Hat Interesse", "Is interested"),
    "offer_requested": (
        "Anfrage gesendet – die Koordination schlägt eine Assistenz-Kraft vor",
        "Request sent – the coordinator proposes an assistant",
    ),
    "offer_proposed": ("Assistenz-Kraft vorgeschlagen", "Assistant proposed"),
    "offer_accepted": ("Auftrag erteilt", "Awarded"),
    "awarded_notice": (
        "Sie haben den Auftrag erteilt. Jetzt wird ein Kennenlern-Termin vereinbart.",
        "You awarded the order. Now a meeting is arranged.",
    ),
    "request_sent_notice": (
        "Ihre Anfrage ist an die Koordination des Leistungs-Anbieters gesendet.",
        "Your request was sent to the provider's coordinator.",
    ),
    "declined_notice": ("Das Angebot ist abgelehnt.", "The offer is declined."),
    "withdrawn_notice": ("Der Auftrag ist gelöscht.", "The order is deleted."),
    "action_failed": (
        "Das hat nicht geklappt. Bitte laden Sie die Seite neu.",
        "That did not work. Please reload the page.",
    ),
    # chat
    "chat": ("Chat", "Chat"),
    "message": ("Nachricht", "Message"),
    "send": ("Senden", "Send"),
    "no_messages": (
        "Noch keine Nachrichten. Einen Chat öffnen Sie bei einem Angebot zu Ihrem Auftrag mit „Chat öffnen“.",
        "No messages yet. You open a chat at an offer for your order with “Open chat”.",
    ),
    "messages": ("Nachrichten", "Messages"),
    "me": ("Ich", "Me"),
    "other_side": ("Gegenüber", "The other side"),
    "erased": ("(gelöscht)", "(erased)"),
    "chat_hint": (
        "Hier können Sie sich vor der Auftrags-Erteilung kennenlernen, zum Beispiel einen Termin "
        "für einen Video-Chat ausmachen.",
        "Get to know each other before the award here, for example agree on a time for a video call.",
    ),
    "mark_all_read": ("Alle als gelesen markieren", "Mark all as read"),
    "new": ("neu", "new"),
    "look": ("Ansehen", "View"),
    "no_notifications": ("Sie haben keine Benachrichtigungen.", "You have no notifications."),
    # contracts
    "contract": ("Vertrag", "Contract"),
    "meeting": ("Kennenlern-Termin", "Introductory meeting"),
    "choose_meeting": ("Termin auswählen", "Choose this date"),
    "sign": ("Vertrag unterschreiben", "Sign contract"),
    "sign_confirm": ("Zur Bestätigung geben Sie bitte Ihr Passwort ein.", "Please enter your password to confirm."),
    "signed": ("Unterschrieben", "Signed"),
    "rate": ("Bewertung abgeben", "Give a rating"),
    "terms": ("Vertrags-Inhalt", "Terms"),
    "hourly_rate": ("Stunden-Lohn", "Hourly rate"),
    "payer": ("Wer bezahlt?", "Who pays?"),
    "payer_relief_amount": ("Entlastungs-Betrag der Pflege-Versicherung", "Relief amount of the care insurance"),
    "payer_integration_assistance": ("Eingliederungshilfe", "Integration assistance"),
    "payer_private": ("Privat", "Private"),
    "notice_weeks": ("Kündigungs-Frist (Wochen)", "Notice period (weeks)"),
    "party_seeker": ("Assistenz-suchende Person", "Person seeking assistance"),
    "party_assistant": ("Assistenz-Kraft", "Assistant"),
    "party_provider": ("Leistungs-Anbieter", "Service provider"),
    "meeting_chosen": ("Der Termin ist vereinbart.", "The meeting is arranged."),
    "signed_notice": ("Sie haben den Vertrag unterschrieben.", "You signed the contract."),
    "contract_pdf": ("Vertrag als PDF (zum Lesen oder Ausdrucken)", "Contract as PDF (to read or print)"),
    "sign_in_app": ("In der App unterschreiben", "Sign in the app"),
    "sign_by_scan": ("Unterschriebenen Vertrag hochladen", "Upload the signed contract"),
    "sign_by_scan_text": (
        "Sie können den Vertrag auch ausdrucken, auf Papier unterschreiben und dann ein Foto "
        "oder einen Scan davon hochladen.",
        "You can also print the contract, sign it on paper and upload a photo or scan of it.",
    ),
    "scan_file": ("Datei mit dem unterschriebenen Vertrag", "File with the signed contract"),
    "scan_hint": ("PDF, JPEG oder PNG, höchstens 5 MB.", "PDF, JPEG or PNG, at most 5 MB."),
    "upload_scan": ("Hochladen und unterschreiben", "Upload and sign"),
    "scan_notice": (
        "Ihr unterschriebener Vertrag ist hochgeladen. Damit haben Sie unterschrieben.",
        "Your signed contract is uploaded. You have signed.",
    ),
    "file_missing": (
        "Bitte wählen Sie die Datei mit dem unterschriebenen Vertrag aus.",
        "Please choose the file with the signed contract.",
    ),
    "file_too_big": (
        "Die Datei ist größer als 5 MB. Bitte verkleinern Sie sie (zum Beispiel ein Foto mit weniger Auflösung).",
        "The file is larger than 5 MB. Please make it smaller.",
    ),
    "file_type": (
        "Diese Datei können wir nicht annehmen. Bitte laden Sie ein PDF, ein JPEG oder ein PNG hoch.",
        "We cannot accept this file. Please upload a PDF, JPEG or PNG.",
    ),
    "signed_waiting": (
        "Sie haben unterschrieben. Der Vertrag gilt, sobald alle unterschrieben haben und der "
        "Anbieter ihn gegengezeichnet hat. Sie bekommen dann eine Nachricht.",
        "You have signed. The contract applies once everyone has signed and the provider has "
        "countersigned it. You will get a message then.",
    ),
    "rated_notice": ("Danke für Ihre Bewertung.", "Thank you for your rating."),
    "contract_waiting": (
        "Der Vertrag wird gerade vorbereitet. Bitte schauen Sie gleich noch einmal.",
        "The contract is being prepared. Please look again in a moment.",
    ),
    "average": ("Durchschnitt", "Average"),
    "bookings": ("Abrechnung: geleistete Stunden", "Billing: hours worked"),
    "duration": ("Dauer (Stunden:Minuten)", "Duration (hours:minutes)"),
    "duration_hint": ("Zum Beispiel 2:30 für zweieinhalb Stunden.", "For example 2:30 for two and a half hours."),
    "book": ("Stunden eintragen", "Record hours"),
    "booked_notice": ("Die Stunden sind eingetragen.", "The hours are recorded."),
    "approved": ("Bestätigt", "Approved"),
    "not_approved": ("Noch nicht bestätigt", "Not approved yet"),
    "stars": ("Sterne (1 bis 5)", "Stars (1 to 5)"),
    "rating_text": ("Ihr Kommentar (freiwillig)", "Your comment (optional)"),
    # assistant
    "requests_title": ("Ihre aktuellen Verfügbarkeitsanfragen", "Your current availability requests"),
    "no_requests": (
        "Zurzeit gibt es keine neuen Anfragen. Anfragen kommen, wenn ein Auftrag zu Ihren Tätigkeiten und Zeiten "
        "passt: Halten Sie Ihre Verfügbarkeit aktuell.",
        "There are no new requests right now. Requests come when an order fits your activities and times: keep "
        "your availability up to date.",
    ),
    "accept_request": ("Annehmen", "Accept"),
    "accept_hint": (
        "Wenn Sie annehmen, wird die suchende Person über Ihr Interesse informiert. Sie haben "
        "den Auftrag damit noch nicht erhalten.",
        "When you accept, the person is told of your interest. It does not mean you got the order yet.",
    ),
    "answered": ("Beantwortet", "Answered"),
    "free_orders": ("Freie Aufträge in der Nähe", "Free orders nearby"),
    "free_orders_hint": (
        "Diese Aufträge passen nicht genau zu Ihren Angaben. Sie können sie trotzdem aufnehmen.",
        "These orders do not fully match your details. You may still take them up.",
    ),
    "take_up": ("Aufnehmen", "Take up"),
    "show_on_map": ("In der Karte zeigen", "Show on the map"),
    "offer_sent": ("Die suchende Person wird über Ihr Interesse informiert.", "The person is told of your interest."),
    "offer_failed": (
        "Das hat nicht geklappt. Vielleicht ist der Auftrag schon vergeben.",
        "That did not work. Maybe the order is already taken.",
    ),
    "your_home": ("Ihr Wohnort", "Your home"),
    "map_label": (
        "Karte der freien Aufträge. Dieselben Aufträge stehen in der Liste darunter.",
        "Map of free orders. The same orders are in the list below.",
    ),
    "activities_wanted": ("Gewünschte Tätigkeiten", "Activities wanted"),
    "why_match": ("Warum passt das?", "Why does this match?"),
    "planned": ("Geplant", "Planned"),
    "offer": ("Angebot", "Offer"),
    "my_offer_submitted": ("Angeboten – die suchende Person entscheidet", "Offered – the person decides"),
    "my_offer_requested": ("Anfrage an die Koordination", "Request to the coordinator"),
    "my_offer_proposed": ("Vorgeschlagen", "Proposed"),
    "open": ("öffnen", "open"),
    "contract_opened": ("Zuschlag erhalten – Kennenlern-Termin wird vereinbart", "Awarded – meeting being arranged"),
    "contract_meeting_proposed": ("Termine vorgeschlagen", "Dates proposed"),
    "contract_meeting_scheduled": ("Kennenlern-Termin vereinbart", "Meeting arranged"),
    "contract_meeting_held": ("Kennenlern-Treffen hat stattgefunden", "Meeting took place"),
    "contract_drafted": ("Vertrag zum Unterschreiben", "Contract ready to sign"),
    "contract_ratified": ("Aktiv", "Active"),
    "contract_ended": ("Beendet", "Ended"),
    "contract_declined": ("Abgelehnt", "Declined"),
    "contract_cancelled": ("Abgebrochen", "Cancelled"),
    "contract_title_terms": ("{activities} ab {day}", "{activities} from {day}"),
    "offer_title_once": ("{activities} am {day}", "{activities} on {day}"),
    "contract_title_meeting": ("Kennenlernen am {moment}", "Meeting on {moment}"),
    "contract_title_open": ("Kennenlernen, Termin noch offen", "Meeting, date still open"),
    "contract_title_with": ("{name} – {what}", "{name} – {what}"),
    "contract_number": ("Vertrags-Nummer {number}", "Contract number {number}"),
    "no_assignments": (
        "Hier gibt es noch nichts. Auf Ihrer Übersicht finden Sie Anfragen und freie Aufträge in der Nähe; "
        "nehmen Sie eine an, dann steht sie hier.",
        "Nothing here yet. Your overview shows requests and free orders nearby; take one up and it shows here.",
    ),
    "distance": ("Entfernung", "Distance"),
    "kind_all": ("Alle", "All"),
    "filter": ("Filtern", "Filter"),
    "map": ("Karte", "Map"),
    "list": ("Liste", "List"),
    "km_away": ("{km} km entfernt", "{km} km away"),
    "not_matching": ("Passt nicht:", "Does not match:"),
    "assignments": ("Meine Einsätze", "My assignments"),
    "offered": ("Angeboten", "Offered"),
    "awarded": ("Zuschlag erhalten", "Awarded"),
    "active": ("Aktiv", "Active"),
    "finished": ("Beendet", "Finished"),
    "my_profile": ("Verfügbarkeit und Tätigkeiten", "Availability and activities"),
    "ratings": ("Bewertungen", "Ratings"),
    "weekday_0": ("Montag", "Monday"),
    "weekday_1": ("Dienstag", "Tuesday"),
    "weekday_2": ("Mittwoch", "Wednesday"),
    "weekday_3": ("Donnerstag", "Thursday"),
    "weekday_4": ("Freitag", "Friday"),
    "weekday_5": ("Samstag", "Saturday"),
    "weekday_6": ("Sonntag", "Sunday"),
    "offline_title": ("Keine Verbindung", "No connection"),
    "offline_text": (
        "Sie sind gerade nicht mit dem Internet verbunden. Bitte versuchen Sie es später noch einmal.",
        "You are not connected to the internet. Please try again later.",
    ),
}

MESSAGES |= JOURNEY_MESSAGES

CATALOGUE = Catalogue({k: de for k, (de, _) in MESSAGES.items()}, {k: en for k, (_, en) in MESSAGES.items()})


def translate(lang: str, key: str, **values: object) -> str:
    return CATALOGUE.text(lang, key, **values)


def activity_label(lang: str, code: str) -> str:
    labels = ACTIVITY_LABELS.get(Activity(code)) if code in Activity._value2member_map_ else None
    return (labels[1] if lang == "en" else labels[0]) if labels else code


def trait_label(lang: str, code: str) -> str:
    labels = TRAIT_LABELS.get(Trait(code)) if code in Trait._value2member_map_ else None
    return (labels[1] if lang == "en" else labels[0]) if labels else code
