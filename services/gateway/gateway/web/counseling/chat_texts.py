"""Texts of the counseling chat pages: the client's chat, the anonymous walk-in chat and the team's
queue and chat (German first, plain language; English through the language switch)."""

from __future__ import annotations

from gateway.web.catalogue import Catalogue
from gateway.web.counseling.texts import CATALOGUE as COUNSELING

DE: dict[str, str] = {
    "my_chats": "Mein Chat",
    "my_chats_intro": (
        "Hier schreiben Sie direkt mit einer Beraterin oder einem Berater. Was Sie schreiben, lesen nur Sie "
        "und die Beratung. Es wird verschlüsselt gespeichert."
    ),
    "start_chat": "Chat beginnen",
    "no_chats": "Sie haben noch keinen Chat.",
    "chat_title": "Chat mit der Beratung",
    "open_chat": "Chat öffnen",
    "state_waiting": "Sie warten auf eine Beraterin oder einen Berater.",
    "state_waiting_staff": "Dieser Chat wartet auf eine Beraterin oder einen Berater.",
    "position": "Sie sind an Platz {position} der Warteschlange.",
    "waited": "Wartezeit bisher: {minutes} Minuten.",
    "state_active": "Der Chat läuft. Sie können jetzt schreiben.",
    "state_ended": "Dieser Chat ist beendet.",
    "messages": "Nachrichten",
    "your_message": "Ihre Nachricht",
    "send": "Senden",
    "enter_message": "Schreiben Sie eine Nachricht.",
    "end_chat": "Chat beenden",
    "you": "Sie",
    "role_counselor": "Beratung",
    "role_client": "Ratsuchende:r",
    "role_guest": "Gast",
    "erased": "Diese Nachricht wurde gelöscht.",
    "no_messages": "Noch keine Nachrichten.",
    "reload": "Neu laden",
    "live_hint": "Neue Nachrichten erscheinen von selbst. Ohne JavaScript laden Sie die Seite neu.",
    "new_message_live": "Neue Nachricht: {text}",
    "video_title": "Video-Anruf",
    "start_video": "Video-Anruf starten",
    "join_video": "Video-Anruf beitreten",
    "moderator_link": "Video-Anruf als Moderation öffnen",
    "guest_link": "Gast-Link (ohne Einschränkungen)",
    "seminar_link": "Seminar-Link (nur zuschauen und schreiben)",
    "external_link": "Video-Anruf öffnen",
    "video_hint": "Der Link öffnet den Video-Raum in einem neuen Fenster. Er gilt nur für eine begrenzte Zeit.",
    "no_video": "Es gibt noch keinen Video-Anruf.",
    "export": "Verlauf als Tabelle (CSV) herunterladen",
    "queue_title": "Chats",
    "queue_heading": "Warteschlange",
    "queue_intro": "Diese Menschen warten auf einen Chat. Wer frei ist, nimmt den ersten an.",
    "queue_empty": "Gerade wartet niemand.",
    "accept": "Annehmen",
    "accept_named": "Chat mit {name} annehmen",
    "kind_walk_in": "anonym, ohne Konto",
    "kind_client": "mit Konto",
    "kind_group": "Gruppe",
    "waiting_minutes": "wartet seit {minutes} Minuten",
    "place": "Platz {position}",
    "open_chats": "Meine Chats",
    "no_open_chats": "Sie haben gerade keinen Chat.",
    "unread_count": "{count} ungelesen",
    "already_taken": "Diesen Chat hat schon jemand angenommen.",
    "chat_ended": "Der Chat ist beendet.",
    "someone": "Ratsuchende:r",
    "walk_in_title": "Anonym chatten",
    "walk_in_intro": (
        "Sie können ohne Konto und ohne Ihren Namen mit einer Beraterin oder einem Berater schreiben. "
        "Sie bekommen einen Fantasie-Namen. Eine Beraterin oder ein Berater nimmt Ihren Chat an, sobald jemand frei ist."
    ),
    "walk_in_privacy": (
        "Wir setzen nur das Sitzungs-Cookie, sonst nichts. Ihr Zugang zum Chat gilt zwei Stunden und nur in "
        "diesem Browser. Was Sie schreiben, wird verschlüsselt gespeichert."
    ),
    "walk_in_start": "Anonymen Chat beginnen",
    "walk_in_you_are": "Ihr Name im Chat: {name}",
    "walk_in_expired": "Dieser Chat-Zugang gilt nicht mehr. Sie können einen neuen Chat beginnen.",
    "too_many": "Gerade beginnen zu viele Menschen einen Chat. Bitte versuchen Sie es in einigen Minuten noch einmal.",
}

EN: dict[str, str] = {
    "my_chats": "My chat",
    "my_chats_intro": (
        "Here you write directly with a counselor. Only you and the counseling team read what you write. "
        "It is stored encrypted."
    ),
    "start_chat": "Start a chat",
    "no_chats": "You have no chat yet.",
    "chat_title": "Chat with the counseling team",
    "open_chat": "Open chat",
    "state_waiting": "You are waiting for a counselor.",
    "state_waiting_staff": "This chat is waiting for a counselor.",
    "position": "You are number {position} in the queue.",
    "waited": "Waiting so far: {minutes} minutes.",
    "state_active": "The chat is running. You can write now.",
    "state_ended": "This chat has ended.",
    "messages": "Messages",
    "your_message": "Your message",
    "send": "Send",
    "enter_message": "Write a message.",
    "end_chat": "End chat",
    "you": "You",
    "role_counselor": "Counselor",
    "role_client": "Client",
    "role_guest": "Guest",
    "erased": "This message was deleted.",
    "no_messages": "No messages yet.",
    "reload": "Reload",
    "live_hint": "New messages appear by themselves. Without JavaScript, reload the page.",
    "new_message_live": "New message: {text}",
    "video_title": "Video call",
    "start_video": "Start a video call",
    "join_video": "Join the video call",
    "moderator_link": "Open the video call as moderator",
    "guest_link": "Guest link (no restrictions)",
    "seminar_link": "Seminar link (watch and write only)",
    "external_link": "Open the video call",
    "video_hint": "The link opens the video room in a new window. It is valid for a limited time only.",
    "no_video": "There is no video call yet.",
    "export": "Download the conversation as a table (CSV)",
    "queue_title": "Chats",
    "queue_heading": "Queue",
    "queue_intro": "These people are waiting for a chat. Whoever is free takes the first one.",
    "queue_empty": "Nobody is waiting right now.",
    "accept": "Accept",
    "accept_named": "Accept the chat with {name}",
    "kind_walk_in": "anonymous, without an account",
    "kind_client": "with an account",
    "kind_group": "group",
    "waiting_minutes": "waiting for {minutes} minutes",
    "place": "Number {position}",
    "open_chats": "My chats",
    "no_open_chats": "You have no chat right now.",
    "unread_count": "{count} unread",
    "already_taken": "Someone has already accepted this chat.",
    "chat_ended": "The chat has ended.",
    "someone": "Client",
    "walk_in_title": "Chat anonymously",
    "walk_in_intro": (
        "You can write with a counselor without an account and without your name. You get an invented name. "
        "A counselor accepts your chat as soon as someone is free."
    ),
    "walk_in_privacy": (
        "We set only the session cookie, nothing else. Your access to the chat is valid for two hours and only in "
        "this browser. What you write is stored encrypted."
    ),
    "walk_in_start": "Start an anonymous chat",
    "walk_in_you_are": "Your name in the chat: {name}",
    "walk_in_expired": "This chat access is no longer valid. You can start a new chat.",
    "too_many": "Too many people are starting a chat right now. Please try again in a few minutes.",
}

CHAT = Catalogue(DE, EN, fallback=COUNSELING)
