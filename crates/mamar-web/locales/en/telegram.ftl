## The Telegram bot. Plain text (Telegram shows no HTML here).

tg-exposure = Before you start, please read this.
    Telegram (the company) can see that your account writes to this bot, and when. Anyone who holds your unlocked phone can read this chat until the messages are gone.
    We delete each of your answers and each of our questions as soon as we have taken it, but Telegram may keep copies, and a screenshot or a notification may already have been seen.
    Your answers are sealed only when you finish; until then they are kept in memory for a short time, and nothing is stored.
    If you can, use our web form through Tor Browser instead: it leaves far less behind.
tg-web-offer = The web form: { $address }
tg-button-continue = Continue here
tg-button-web = Open the web form
tg-button-card = Check our contact card
tg-button-language = English
tg-button-replies = Read replies (with your codename)
tg-button-done = Done
tg-button-skip = Skip
tg-question-progress = Question { $number } of { $total }
tg-optional = optional
tg-type-answer = Type your answer as a message.
tg-use-buttons = Please answer with the buttons under the question.
tg-old-button = That button belongs to an earlier question. Please use the newest message.
tg-codename = Your request is stored and sealed. Your codename is:

    { $codename }

    Write it down somewhere safe, not on this phone (or learn it by heart), then delete this message. With the codename you can read our replies here (/replies) or on our web follow-up page, and nobody can find your request without it.
tg-not-stored = Your request was not stored. Please try again later, or use one of our other channels.
tg-busy = We are receiving many messages right now. Please try again in a few minutes; nothing you sent was stored.
tg-closed = We cannot receive requests through this channel right now. Please use one of our other channels.
tg-closed-busy = Too many requests are arriving right now. Your answers are kept for a few minutes: send any message again shortly, or use the web form.
tg-not-text = This bot reads only typed text. We deleted what you sent.
tg-edited = Edited messages are not read. Please send the answer again as a new message.
tg-forwarded = Forwarded messages are not read. We deleted it.
tg-too-long = This message is too long. We deleted it; please send a shorter one.
tg-slow-down = Too many messages at once. Please wait a minute before sending more.
tg-cancelled = Stopped. Nothing was stored, and your answers were forgotten.
tg-help = /start: begin a request. /replies: read replies with your codename. /card: check our signed contact card. /cancel: stop and forget your answers.
tg-replies-ask = Send your codename as a message. We delete it at once.
tg-replies-unknown = No request has this codename. Please check the words.
tg-replies-none = There is no reply yet. Please come back later.
tg-reply = Reply from the organisation ({ $month }):

    { $text }

    This is the text only. The signed original can be checked on our web follow-up page with your codename.
tg-own-message = Your message ({ $month }):

    { $text }
tg-month-unknown = month not kept
tg-earlier-not-shown = Messages you sent before we kept a copy for you are not shown.
tg-first-request = Your first request ({ $month }):

    { $text }
tg-first-nothing-typed = Your first request ({ $month }): you wrote no text in it, you only chose answers, and those are not repeated here.
tg-first-not-kept = Your first request cannot be shown: requests made before this version kept no copy for you to read.
tg-first-unavailable = Your first request can no longer be shown.
tg-card = Our signed contact card. Compare it with the one published elsewhere:

    { $card }

    Fingerprint words: { $words }
tg-card-missing = The contact card has not been published yet.
