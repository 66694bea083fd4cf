## Layout
site-tagline = ممرّ آمن للخروج من الخدمة المسلحة
skip-to-content = انتقل إلى المحتوى
language-switcher = اللغة
footer-privacy = لا يحمّل هذا الموقع شيئاً من مواقع أخرى، ولا يحفظ عناوين زوّاره، ويعمل دون جافاسكريبت.

## Landing page
landing-title = اترك الخدمة المسلحة بأمان
landing-lead = يساعد { $org } العسكريين من جنود وضباط، وعناصر الشرطة والأجهزة الأمنية الراغبين في ترك الخدمة، والمجنّدين الفارّين من الخدمة الإلزامية، على الوصول إلى مكان آمن.
landing-how-title = كيف نعمل
landing-how-1 = تتواصل معنا دون الكشف عن هويتك، وتخبرنا فقط بما نحتاجه لمساعدتك.
landing-how-2 = تحصل على اسم رمزي سرّي، تعود به لقراءة ردودنا والإجابة عليها.
landing-how-3 = يخطط فريق صغير لخروجك مع شركائنا بسرّية تامة، ويستقبلك في منطقة آمنة، وتختار بعدها البقاء فيها أو الانتقال إلى مكان آخر.
landing-safety-title = قبل أن تكتب إلينا
landing-safety = استخدم جهازاً واتصالاً لا يراقبهما أحد. لا ترسل إلينا أي معلومات عسكرية: لا مواقع ولا أعداد وحدات ولا أهداف. لا نحتاجها ولن نطلبها.
landing-verify = تحقّق من أن هذه الصفحة تعود فعلاً إلى { $org } قبل أن تثق بها.

## First-run setup
setup-title = لم يُجهَّز ممر بعد
setup-lead = لا توجد منظمة على هذا الخادم بعد. يُكمل أحد المسؤولين التجهيز على الخادم نفسه، { $count ->
    [zero] دون أي خطوة
    [one] في خطوة واحدة
    [two] في خطوتين
    [few] في { $count } خطوات
    [many] في { $count } خطوة
   *[other] في { $count } خطوة
  }:
setup-step-init = أنشئ المنظمة وأول مسؤول فيها:
setup-step-restart = أعد تحميل هذه الصفحة. ستظهر هنا صفحة النداء العامة بعد اكتمال التجهيز.
setup-help = شغّل الأمر mamar init --help لرؤية كل الخيارات، أو شغّل mamar init دون خيارات ليُطرح عليك كل سؤال.

## Errors
error-title = حدث خطأ ما
error-not-found-title = الصفحة غير موجودة
error-not-found = لا توجد صفحة على هذا العنوان. تحقّق من العنوان، أو عد إلى الصفحة الرئيسية.
error-internal = تعذّر علينا إتمام هذا الطلب. لم يضِع شيء مما أرسلته سابقاً. حاول مرة أخرى بعد قليل.
error-bad-request = تعذّر علينا قراءة هذا الطلب. عد إلى الصفحة السابقة وحاول مرة أخرى.
error-too-large = ما أرسلته أكبر من المسموح. اختصره وحاول مرة أخرى.
error-busy = نستقبل الآن عدداً كبيراً من الطلبات. حاول مرة أخرى بعد دقيقة.
error-back-home = العودة إلى الصفحة الرئيسية
error-back-workspace = العودة إلى مساحة العمل
error-waiting-for-keys-title = بانتظار مفاتيحك
error-waiting-for-keys = حسابك جاهز، لكن على أحد المسؤولين أن يمنحه مفاتيح أدوارك. تُظهر له صفحة الحسابات أنك تنتظر، وتُفتح هذه الصفحة حين يفعل.

## Staff: login and home
staff-login-title = دخول فريق العمل
staff-username = اسم المستخدم
staff-password = كلمة المرور
staff-login-submit = دخول
staff-login-failed = تعذّر الدخول: اسم المستخدم أو كلمة المرور غير صحيحة، أو أن الحساب محميّ بعد عدة محاولات فاشلة.
staff-login-code-label = الرمز من تطبيق المصادقة (فقط إن رُفضت كلمة مرورك الصحيحة)
staff-login-code-hint = بعد عدة محاولات فاشلة على حساب ما، يحتاج أي متصفح لم يُدخَل منه إلى هذا الحساب من قبل إلى كلمة المرور والرمز الحالي معاً. أما متصفحك المعتاد فلا يُمنع.
staff-home-title = مساحة عملك
staff-signed-in-as = أنت مسجّل الدخول باسم { $name }.
staff-keys-unlocked = المفاتيح المفتوحة في هذه الجلسة
staff-keys-explained = تبقى هذه المفاتيح مفتوحة ما دمت مسجّل الدخول فقط. تُقفل من جديد عند تسجيل الخروج، أو إذا تُركت الجلسة دون استخدام ثلاثين دقيقة.
staff-logout = تسجيل الخروج
key-kind-intake = الاستقبال (قراءة الطلبات الجديدة)
key-kind-analytics = التحليل (الإحصاءات)
key-kind-linkage = الربط (مطابقة القوائم)
key-kind-signing = التوقيع (توقيع المنظمة)

## Help: safer ways to connect
help-title = طرق أكثر أماناً للتواصل معنا
help-lead = قد يعرّضك التواصل للخطر إذا كان أحد يراقب هاتفك أو اتصالك. هذه الخطوات تقلّل الخطر.
help-device-title = جهازك
help-device-1 = استخدم جهازاً لا يفتّشه أحد ولا يمكن أن يؤخذ منك، ويُفضّل ألا يكون مسجّلاً باسمك.
help-device-2 = لا تحفظ هذا الموقع في المفضلة أو في سجل التصفح، وأغلق المتصفح عند الانتهاء.
help-device-3 = لا تكتب اسمك الرمزي في مكان يمكن العثور عليه. احفظه في ذاكرتك.
help-tor-title = متصفح تور
help-tor-1 = يُخفي متصفح تور المواقع التي تزورها عمّن يراقب اتصالك، ويُخفي عنوانك عنّا.
help-tor-2 = اضبط مستوى الأمان فيه على «الأكثر أماناً». يعمل هذا الموقع بالكامل دون جافاسكريبت.
help-tor-3 = إن نشرنا عنوان onion فاستخدمه، وتحقّق منه أولاً في صفحة التحقق.
help-channels-title = الهاتف وتطبيقات المراسلة
help-channels-1 = تكشف المكالمات الهاتفية وتطبيقات مثل تيليغرام عنك أكثر مما يكشفه هذا الموقع. لا تستخدمها إلا عند الضرورة.
help-channels-2 = لا تكون الرسالة التي تدّعي أنها منّا حقيقية إلا إذا تطابق توقيعها مع البصمة التي ننشرها.
help-never-title = لا ترسل أبداً
help-never = لا ترسل أبداً أي معلومات عسكرية: لا مواقع ولا أعداد وحدات ولا أهداف. لا نحتاجها لمساعدتك ولن نطلبها.
landing-help-link = طرق أكثر أماناً للتواصل معنا

## Contact form
contact-title = اطلب المساعدة
contact-no-military = لا ترسل معلومات عسكرية: لا مواقع ولا أعداد وحدات ولا أهداف. لا نحتاجها ولن نطلبها.
contact-required = (مطلوب)
contact-codename-language = لغة اسمك الرمزي
contact-codename-language-help = بعد الإرسال تحصل على اسم رمزي سرّي مكوّن من كلمات. اختر لغة كلماته.
contact-submit = أرسل طلبي
contact-errors =
    { $count ->
        [zero] لا توجد إجابات تحتاج إلى تصحيح.
        [one] إجابة واحدة تحتاج إلى انتباهك. لم يُرسَل شيء بعد.
        [two] إجابتان تحتاجان إلى انتباهك. لم يُرسَل شيء بعد.
        [few] { $count } إجابات تحتاج إلى انتباهك. لم يُرسَل شيء بعد.
        [many] { $count } إجابة تحتاج إلى انتباهك. لم يُرسَل شيء بعد.
       *[other] { $count } إجابة تحتاج إلى انتباهك. لم يُرسَل شيء بعد.
    }
contact-bad-encoding = تعذّرت علينا قراءة ما أرسلته. راجع النص وأرسله مرة أخرى.
field-missing = يرجى الإجابة عن هذا السؤال.
field-not-an-option = يرجى اختيار إحدى الإجابات المعروضة.
field-too-long = هذه الإجابة أطول من المسموح. يرجى اختصارها.
field-control-character = تحتوي هذه الإجابة على رموز لا يمكننا قبولها (رموز تحكّم غير مرئية أو رموز تغيّر اتجاه النص). يرجى إعادة كتابتها.
field-invalid = هذه الإجابة غير صالحة. يرجى مراجعتها.

## Codename
codename-title = وصل طلبك
codename-received = حُفظ طلبك بأمان. لا يستطيع قراءته إلا فريقنا.
codename-yours = هذا اسمك الرمزي السرّي، ولن يظهر إلا هذه المرة:
codename-keep-title = احفظ اسمك الرمزي
codename-keep-1 = احفظه في ذاكرتك. به تعود لقراءة ردودنا والإجابة عليها.
codename-keep-2 = من يعرف اسمك الرمزي يستطيع قراءة ردودنا عليك. لا تشاركه مع أحد أبداً.
codename-keep-3 = إن فقدته فلا يمكننا إعادته إليك: أرسل طلباً جديداً بدلاً منه.
codename-follow-up-link = عد لاحقاً لقراءة الردود

## Follow-up
follow-up-title = قراءة الردود
follow-up-lead = أدخل اسمك الرمزي لقراءة ردودنا، أو لمراسلتنا من جديد، أو لحذف طلبك.
follow-up-codename = اسمك الرمزي
follow-up-open = فتح
follow-up-unknown = لم نجد طلباً بهذا الاسم الرمزي. تحقّق من الكلمات وحاول مرة أخرى.
follow-up-too-many = محاولات كثيرة في هذه اللحظة. انتظر دقيقة ثم حاول مرة أخرى.
conversation-title = طلبك
conversation-sent =
    { $count ->
        [zero] لم ترسل إلينا أي رسالة.
        [one] أرسلت إلينا رسالة واحدة (مع طلبك الأول).
        [two] أرسلت إلينا رسالتين (مع طلبك الأول).
        [few] أرسلت إلينا { $count } رسائل (مع طلبك الأول).
        [many] أرسلت إلينا { $count } رسالة (مع طلبك الأول).
       *[other] أرسلت إلينا { $count } رسالة (مع طلبك الأول).
    }
conversation-no-reply = لا يوجد رد بعد. عد لاحقاً من فضلك.
conversation-history = محادثتنا
conversation-you-wrote = رسالتك
conversation-we-wrote = ردّنا
conversation-earlier-not-shown = الرسائل التي أرسلتها قبل أن تحفظ هذه الصفحة نسخة منها لك لا تظهر هنا.
conversation-first-request = طلبك الأول
conversation-first-nothing-typed = لم تكتب أي نص في طلبك الأول: اخترت إجابات فقط، ولا نعيد عرضها هنا.
conversation-first-not-kept = لا يمكن عرض طلبك الأول: الطلبات التي أُرسلت قبل هذا الإصدار من موقعنا لم تُحفظ منها نسخة تقرؤها أنت.
conversation-first-unavailable = لم يعد ممكناً عرض طلبك الأول هنا.
# The month a message was sent, never a day or a time (Levantine month names in Arabic).
month-year = { $month ->
    [m01] كانون الثاني
    [m02] شباط
    [m03] آذار
    [m04] نيسان
    [m05] أيار
    [m06] حزيران
    [m07] تموز
    [m08] آب
    [m09] أيلول
    [m10] تشرين الأول
    [m11] تشرين الثاني
   *[m12] كانون الأول
    } { $year }
conversation-signature-valid = موقّع من المنظمة: التوقيع صحيح.
conversation-signature-invalid = تحذير: توقيع هذا الرد غير صحيح. لا تثق به.
conversation-signature-details = تحقّق من التوقيع بنفسك
conversation-fingerprint = بصمة مفتاح المنظمة:
conversation-write = راسلنا من جديد
conversation-message = رسالتك
conversation-send = إرسال
conversation-sent-notice = وصلتنا رسالتك.
conversation-empty-message = يرجى كتابة رسالة قبل الإرسال.
conversation-delete-title = حذف طلبك
conversation-delete-explained = يمحو هذا طلبك وكل رسائله من خادمنا. لا يمكن التراجع عنه، ولن نستطيع التواصل معك بعده.
conversation-delete-confirm = نعم، احذف طلبي وكل رسائله
conversation-delete = حذف
conversation-delete-unconfirmed = ضع علامة في المربع لتأكيد الحذف.
deleted-title = حُذف طلبك
deleted-explained = مُحي طلبك وكل رسائله من خادمنا. لم يعد اسمك الرمزي يفتح أي شيء.

## Staff inbox
inbox-title = الطلبات الجديدة
inbox-empty = لا توجد طلبات بعد.
inbox-request = طلب وصل في { $month }
inbox-reference = رقمه في سجلّ التدقيق:
inbox-unreadable = هذا الطلب مختوم بمفتاح استقبال لا تملكه.
inbox-from-requester = صاحب الطلب:
inbox-from-staff = ردّنا:
inbox-reply = الرد (توقّعه المنظمة، ولا يُقرأ إلا باسم صاحب الطلب الرمزي)
inbox-send-reply = إرسال الرد
inbox-no-intake-key = لا يملك دورك مفتاح الاستقبال، لذلك لا يمكنك قراءة الطلبات الجديدة.
staff-inbox-link = قراءة الطلبات الجديدة
landing-contact-link = اطلب المساعدة
landing-follow-up-link = لديّ اسم رمزي

## Verification
verify-title = تحقّق من أن هذه القناة تعود إلينا فعلاً
verify-lead = استُخدمت عروض مزيّفة فخاخاً من قبل. قبل أن تثق بصفحة أو رقم هاتف أو بوت يدّعي أنه لنا، طابقه مع بصمة مفتاحنا التي ننشرها في أكثر من مكان.
verify-no-key = لا يوجد على هذا الخادم مفتاح توقيع بعد.
verify-fingerprint = بصمة مفتاحنا
verify-qr = البصمة نفسها رمزاً مربّعاً (QR)
verify-qr-alt = رمز QR لبصمة مفتاح المنظمة
verify-card = بطاقة التواصل الموقّعة
verify-no-card = لم تُنشر بطاقة التواصل بعد.
verify-card-download = نزّل البطاقة الموقّعة (card.txt)
verify-phone-title = التحقّق بالهاتف وحده
verify-phone-intro = هذه كلمات بصمة مفتاحنا. ننشر الكلمات نفسها، بالترتيب نفسه، في قنواتنا الأخرى.
verify-phone-1 = ابحث عن كلمات بصمتنا في مكان لا تتحكّم فيه هذه الصفحة: منشور مطبوع، أو شخص تثق به، أو قناة أخرى من قنواتنا:
verify-phone-2 = قارنها كلمةً كلمة وبالترتيب. يجب أن تتطابق كل الكلمات.
verify-phone-3 = إن اختلفت كلمة واحدة، أو لم تجد كلماتنا في أي مكان آخر، فلا تثق بهذه الصفحة ولا ترسل إليها شيئاً.
verify-phone-not-enough = الصفحة التي تقول «التوقيع صحيح» فقط لا تثبت شيئاً، فالمحتال يستطيع أن يكتب ذلك أيضاً. وحدها الكلمات التي تقارنها بنفسك، من مكانين، تثبت أننا نحن.
verify-get-mamar = الأمر هو mamar-verify، برنامج صغير للحاسوب: برنامج حرّ مبنيّ من الشيفرة نفسها التي يشغّلها خادمنا. يعمل دون إنترنت ولا يرسل شيئاً. يجيب بالعربية أو بالإنجليزية (‎--lang ar أو ‎--lang en) وتنتهي إجابته بكلمة «صالح» أو «غير صالح».
verify-tool-title = احصل على أداة التحقّق
verify-tool-downloads = نسخنا المبنيّة من أداة التحقّق. تحقّق من بصمة SHA-256 للملف قبل أن تشغّله:
verify-tool-sha = احسب بصمة SHA-256 للملف الذي حفظته (لينكس: sha256sum FILE، ماك: shasum -a 256 FILE، ويندوز: certutil -hashfile FILE SHA256) وقارنها بالبصمة المذكورة هنا وبالبصمة المنشورة على قنواتنا الأخرى. إن اختلفت فلا تشغّل الملف.
verify-tool-none = لا يقدّم هذا الخادم نسخة مبنيّة من أداة التحقّق. احصل عليها من شخص تثق به، أو ابنِها بنفسك من الشيفرة المصدرية.
verify-tool-build = لتبنيها بنفسك من شيفرة «ممر» المصدرية المنشورة (تحتاج إلى Rust)، في مجلد الشيفرة:
verify-tool-exit = رمز خروجها 0 إن كانت البطاقة أو الرد صالحاً، و1 إن لم يكن، و2 إن تعذّر التحقّق (ملف مفقود أو خيار خاطئ).
verify-how-title = التحقّق بحاسوب، دون اتصال بالإنترنت
verify-how-1 = قارن هذه البصمة (الحروف والأرقام، أو رمز QR) ببصمة حصلت عليها من مصدر آخر: منشور مطبوع، أو شخص تثق به، أو قناة أخرى من قنواتنا. يجب أن تتطابق كلها.
verify-how-2 = نزّل البطاقة الموقّعة.
verify-how-3 = شغّل الأمر أدناه على حاسوبك. يخبرك هل وُقّعت البطاقة بالمفتاح صاحب هذه البصمة وهل ما زالت صالحة. ردودنا عليك تحمل التوقيع نفسه.
landing-verify-link = تحقّق من أن هذه الصفحة لنا فعلاً
conversation-check-offline = بالحاسوب: احفظ الكتلة أدناه في ملف نصي وتحقّق منها بالأمر الذي تحتها. لا تقارن شيئاً في الكتلة بعينك: سطر المفتاح فيها ليس البصمة.
conversation-check-phone = بالهاتف: «التوقيع صحيح» هو ما يقوله هذا الخادم، والمحتال يستطيع قوله أيضاً. قارن كلمات بصمتنا بتلك المنشورة في قنواتنا الأخرى.

## Staff: accounts, second factor, duress
error-forbidden = هذه الصفحة ليست ضمن صلاحيات دورك. إن كنت تحتاجها فاطلبها من أحد المسؤولين.
staff-login-welcome = حسابك جاهز. ادخل بكلمة المرور الجديدة، ثم تُعِدّ عاملاً ثانياً للتحقق.
staff-login-logged-out = خرجت من الجلسة، وأُتلفت مفاتيحها.
staff-code-title = العامل الثاني للتحقق
staff-code-explained = أدخل الرمز المكوّن من ستة أرقام الذي يعرضه تطبيق المصادقة الآن.
staff-code-failed = هذا الرمز غير صحيح أو استُخدم من قبل. انتظر الرمز التالي وحاول مجدداً.
staff-code-label = الرمز
staff-code-submit = متابعة
staff-cancel-login = إلغاء الدخول والخروج
staff-enrol-title = إعداد العامل الثاني للتحقق
staff-enrol-explained = كل دخول يحتاج كلمة مرورك ورمزاً من تطبيق مصادقة على جهاز تحتفظ به معك. أعدّه الآن.
staff-enrol-step-scan = امسح هذا الرمز بتطبيق المصادقة،
staff-enrol-qr-alt = رمز QR يحمل السرّ الخاص بتطبيق المصادقة
staff-enrol-step-type = أو اكتب فيه هذا السرّ:
staff-enrol-step-confirm = ثم أدخل الرمز الذي يعرضه التطبيق لتتأكد أنه يعمل.
staff-enrol-submit = تأكيد ومتابعة
staff-invitation-title = إعداد حسابك
staff-invitation-for = دُعيت للانضمام باسم المستخدم { $name }. اختر كلمة مرورك: لن يراها أحد غيرك، ولا المسؤولون.
staff-password-advice = استخدم 12 محرفاً على الأقل؛ بضع كلمات لا رابط بينها تصنع كلمة مرور جيدة. تُرفض كلمات المرور الشائعة أو المسرّبة.
staff-new-password = كلمة المرور الجديدة
staff-new-password-again = كلمة المرور نفسها مرة أخرى
staff-invitation-submit = أنشئ حسابي
staff-security-title = أمان حسابك
staff-back-home = العودة إلى مساحة عملك
staff-duress-title = كلمة مرور الإكراه
staff-duress-explained = إن أجبرك أحد على الدخول فاستخدم هذه الكلمة بدل كلمة مرورك. سترى مساحة عمل فارغة، وينفَّذ بصمت ما اختارته المنظمة: قد تُتلف مفاتيحك ويُنبَّه المسؤولون. لا يظهر شيء من ذلك على الشاشة.
staff-duress-is-set = كلمة مرور الإكراه مضبوطة.
staff-duress-not-set = لا توجد كلمة مرور إكراه.
staff-duress-new = كلمة مرور الإكراه
staff-password-title = كلمة مرورك
staff-password-change = غيّر كلمة مروري
staff-password-changed = تغيّرت كلمة مرورك. استعمل الجديدة من دخولك القادم.
staff-password-same-as-duress = يجب أن تختلف كلمة المرور الجديدة عن كلمة مرور الإكراه.
staff-current-password = كلمة مرورك الحالية
staff-duress-save = احفظ كلمة مرور الإكراه
staff-duress-remove = احذف كلمة مرور الإكراه
staff-duress-set = حُفظت كلمة مرور الإكراه.
staff-duress-removed = حُذفت كلمة مرور الإكراه.
staff-duress-same = يجب أن تختلف كلمة مرور الإكراه عن كلمة مرورك.
staff-accounts-title = الحسابات
staff-accounts-link = الحسابات والدعوات
staff-security-link = أمان حسابك
staff-nav = مساحة العمل
staff-invite-link-explained = أرسل رابط الدعوة هذا إلى الشخص عبر قناة آمنة. يعمل مرة واحدة خلال 72 ساعة.
staff-alerts-title = تنبيهات
staff-alert-duress = استُخدمت كلمة مرور الإكراه للدخول إلى الحساب { $name }.
staff-accounts-list = الأشخاص
staff-account-disabled = هذا الحساب معطَّل.
staff-account-keys-missing = بانتظار المفاتيح: أدواره تحتاج مفاتيح للمنظمة لا يملكها بعد. امنحه إياها أدناه بكلمة مرورك.
staff-grant-keys = امنحه مفاتيح أدواره
staff-waiting-for-keys =
    { $count ->
        [zero] لا أحد ينتظر مفاتيح أدواره.
        [one] شخص واحد ينتظر مفاتيح أدواره:
        [two] شخصان ينتظران مفاتيح أدوارهما:
        [few] { $count } أشخاص ينتظرون مفاتيح أدوارهم:
        [many] { $count } شخصاً ينتظرون مفاتيح أدوارهم:
       *[other] { $count } شخص ينتظرون مفاتيح أدوارهم:
    }
staff-roles = الأدوار
staff-your-password = كلمة مرورك للتأكيد
staff-roles-save = احفظ الأدوار والمفاتيح
staff-account-enable = فعّل الحساب
staff-account-disable = عطّل الحساب
staff-invitations-title = دعوات مفتوحة
staff-invitation-expired = منتهية الصلاحية
staff-invitation-revoke = إلغاء
staff-invite-title = دعوة شخص
staff-username-advice = استخدم اسماً مستعاراً من 3 إلى 64 محرفاً من a–z والأرقام والنقطة والشرطة والشرطة السفلية: أسماء المستخدمين ظاهرة على الخادم.
staff-invite-submit = أنشئ الدعوة
staff-invite-created = أُنشئت الدعوة.
staff-invite-bad-username = لا يمكن استخدام اسم المستخدم هذا: من 3 إلى 64 محرفاً من a–z و0–9 و'.' و'_' و'-'، يبدأ بحرف.
staff-invite-no-role = اختر دوراً واحداً على الأقل.
staff-invite-taken = يوجد حساب أو دعوة مفتوحة بهذا الاسم.
staff-reauth-failed = كلمة مرورك غير صحيحة. لم يتغيّر شيء.
staff-duress-response-title = عند استخدام كلمة مرور الإكراه
staff-duress-response-legend = ما يحدث إلى جانب مساحة العمل الفارغة
staff-duress-response-wipe = إتلاف كل مفاتيح ذلك الحساب وتعطيله وتنبيه المسؤولين
staff-duress-response-alert = تنبيه المسؤولين فقط
staff-save = حفظ
password-problem-too-short = تحتاج كلمة المرور 12 محرفاً على الأقل.
password-problem-too-long = لا تزيد كلمة المرور على 128 محرفاً.
password-problem-common = كلمة المرور هذه في قائمة الكلمات الشائعة أو المسرّبة. اختر غيرها.
password-problem-contains-username = يجب ألا تحتوي كلمة المرور على اسم المستخدم.
password-problem-repetitive = كلمة المرور تكرّر محرفاً واحداً أو تسلسلاً بسيطاً. اختر غيرها.
password-problem-mismatch = كلمتا المرور غير متطابقتين.
role-administrator = مسؤول
role-intake-operator = مسؤول استقبال الطلبات
role-vetting-officer = مسؤول التدقيق
role-exit-coordinator = منسّق الخروج
role-reception-officer = مسؤول الاستقبال في المنطقة الآمنة
role-analyst = محلّل
role-auditor = مدقّق السجلّ
role-partner-liaison = ضابط ارتباط مع منظمة شريكة

## Staff: the audit log
audit-title = سجل التدقيق
audit-link = سجل التدقيق
audit-explained = يُسجَّل هنا كل فعل يمسّ الأمان بالمعرّفات والأنواع فقط، وكل قيد مربوط بالقيد الذي قبله. لا يستطيع أحد تعديل قيد أو حذفه دون أن تكشف السلسلة ذلك.
audit-intact = السلسلة سليمة: { $entries ->
        [zero] لا قيود بعد
        [one] قيد واحد
        [two] قيدان
        [few] { $entries } قيود
        [many] { $entries } قيداً
       *[other] { $entries } قيد
    }، و{ $checkpoints ->
        [zero] لا نقاط تحقق موقّعة
        [one] نقطة تحقق موقّعة واحدة
        [two] نقطتا تحقق موقّعتان
        [few] { $checkpoints } نقاط تحقق موقّعة
        [many] { $checkpoints } نقطة تحقق موقّعة
       *[other] { $checkpoints } نقطة تحقق موقّعة
    }، تم التحقق منها.
audit-broken = تم العبث بالسجل: السلسلة مكسورة. احتفظ بهذه الصفحة وأبلغ مدقّق المنظمة ومسؤوليها.
audit-newest = أحدث القيود، الأحدث أولاً
audit-when = متى (بالتوقيت العالمي)
audit-who = من
audit-what = ماذا
audit-object = الموضوع
audit-outcome = النتيجة
audit-action-login_succeeded = دخول
audit-action-login_failed = فشل الدخول
audit-action-login_locked = محاولة دخول أثناء القفل
audit-action-keys_unlocked = فتح المفاتيح
audit-action-logout = خروج
audit-action-session_expired = انتهاء الجلسة
audit-action-reauthenticated = تأكيد كلمة المرور من جديد
audit-action-case_read = قراءة طلب أو ملف
audit-action-case_written = كتابة في ملف
audit-action-case_deleted = حذف ملف
audit-action-case_assigned = إسناد ملف
audit-action-case_unassigned = إبعاد عن ملف
audit-action-reply_sent = إرسال رد
audit-action-export = تصدير بيانات
audit-action-role_changed = تغيير الأدوار
audit-action-staff_invited = دعوة شخص
audit-action-invitation_revoked = إلغاء دعوة
audit-action-invitation_accepted = قبول دعوة
audit-action-staff_disabled = تعطيل حساب
audit-action-staff_enabled = تفعيل حساب
audit-action-password_changed = تغيير كلمة مرور
audit-action-duress_password_set = ضبط كلمة مرور الإكراه
audit-action-duress_password_removed = حذف كلمة مرور الإكراه
audit-action-second_factor_enrolled = إعداد عامل تحقق ثانٍ
audit-action-second_factor_removed = إزالة عامل التحقق الثاني
audit-action-duress_response = تنفيذ الاستجابة للإكراه
audit-action-recovery_created = إنشاء حصص الاستعادة
audit-action-recovery_restored = استعادة الوصول بحصص الاستعادة
audit-action-backup_written = كتابة نسخة احتياطية مختومة للأمناء
audit-action-backup_restored = استعادة قاعدة البيانات من نسخة احتياطية
audit-action-release_published = نشر إصدار إحصائي
audit-action-case_shredded = إتلاف البيانات المعرِّفة لحالة (الإتلاف بالتشفير)
audit-action-retention_run = تشغيل الاحتفاظ: إتلاف الحالات المغلقة التي انتهت مدتها
audit-action-partner_registered = سجّل منظمة شريكة
audit-action-partner_confirmed = أكّد بصمة بطاقة شريك
audit-action-liaison_set = عيّن شخصاً مسؤول اتصال لشريك
audit-action-consent_recorded = سجّل موافقة على إحالة
audit-action-referral_offered = أحال حالة إلى شريك
audit-action-referral_answered = ردّ على إحالة
audit-action-referral_revoked = سحب إحالة
audit-action-referral_file_exported = أرسل إحالة إلى شريك في ملف
audit-action-referral_file_imported = استورد ملف إحالة أو إقرارًا باستلامها
audit-action-break_glass_set_up = أعدّ كسر الزجاج
audit-action-break_glass_reshared = أعاد توزيع حصص كسر الزجاج على المسؤولين
audit-action-break_glass_requested = طلب فتح حالة بكسر الزجاج
audit-action-break_glass_approved = وافق على طلب كسر زجاج
audit-action-break_glass_opened = فتح حالة بكسر الزجاج
audit-action-break_glass_expired = انتهت صلاحية وصول بكسر الزجاج
audit-action-org_key_rotated = تدوير مفتاح للمنظمة
audit-action-card_published = نشر بطاقة الاتصال
audit-action-panic = الطوارئ: إتلاف المفاتيح
audit-action-audit_read = قراءة سجل التدقيق
audit-action-audit_checkpoint = توقيع نقطة تحقق للسجل
audit-action-audit_checkpoint_key_certified = توثيق مفتاح نقاط التحقق الخاص بالخادم
audit-action-audit_checkpoint_copied = نسخ نقطة تحقق إلى خارج الخادم
audit-action-consent_withdrawn = سحب الموافقة على المشاركة مع شريك (صاحب الطلب)
audit-action-export_requested = طلب تصدير حالة
audit-action-export_granted = وافق على تصدير حالة
audit-action-export_downloaded = نزّل تصدير حالة
audit-checkpoints = نقاط تحقق تُحفظ بعيداً عن الخادم
audit-checkpoints-explained = نقطة التحقق ملخّص موقَّع للسجل حتى قيد معيّن. احفظ نسخاً منها بعيداً عن هذا الخادم، على حاسوب آخر أو على ورق: بواحدة منها يُثبت الأمر mamar audit verify --checkpoint أن شيئاً لم يتغيّر حتى قيدها، حتى لو استولى أحد على الخادم.
audit-checkpoint-scheduled = يوقّع هذا الخادم نقطة تحقق جديدة وفق جدول، بمفتاح خاص به وثّقه مفتاح التوقيع الخاص بالمنظمة.
audit-checkpoint-waiting = لا يوقّع هذا الخادم نقاط التحقق من تلقاء نفسه بعد: يُوثَّق مفتاحه حين يدخل مسؤول يحمل مفتاح التوقيع الخاص بالمنظمة، ومن جديد بعد كل إعادة تشغيل.
audit-checkpoint-newest = أحدث نقطة تحقق تغطي القيد { $entry } ووُقّعت في { $when } (بالتوقيت العالمي):
audit-checkpoint-none = لم تُوقَّع أي نقطة تحقق بعد.
audit-checkpoint-copy = تنزيلها وتسجيل أنها نُسخت
audit-copy-never = لم تُنسخ أي نقطة تحقق إلى خارج هذا الخادم قط. نزّل أحدثها واحفظها في مكان آخر.
audit-copy-overdue = لم تُنسخ أي نقطة تحقق إلى خارج هذا الخادم منذ { $since } (بالتوقيت العالمي). نزّل أحدثها واحفظها في مكان آخر.
audit-copy-last = آخر نسخ لنقطة تحقق إلى خارج هذا الخادم كان في { $since } (بالتوقيت العالمي).
audit-outcome-ok = تم
audit-outcome-denied = رُفض
audit-outcome-failed = فشل

## Staff: security keys and passkeys
staff-key-explained = المس مفتاح الأمان، أو استخدم مفتاح المرور على هذا الجهاز.
staff-key-use = استخدم مفتاح الأمان أو مفتاح المرور
staff-key-failed = لم يستجب المفتاح أو لم يُقبل جوابه. حاول مجدداً، أو استخدم رمزاً من التطبيق.
staff-key-why-not-allowed = لم يُلمس المفتاح في الوقت المحدد، أو أُلغي الطلب.
staff-key-why-security = لا تعمل مفاتيح الأمان إلا على عنوان هذا الخادم نفسه، الذي طبعه الأمر `mamar serve` (في التجربة http://localhost لا http://127.0.0.1): افتح هذه الصفحة هناك.
staff-key-why-known = هذا المفتاح مسجّل في حسابك من قبل.
staff-key-why-refused = لم يقبل الخادم جواب المفتاح.
staff-key-needs-script = تحتاج مفاتيح الأمان إلى جافاسكريبت في هذا المتصفح؛ أما رموز التطبيق فتعمل دونها.
staff-enrol-key-title = مفتاح أمان أو مفتاح مرور
staff-enrol-key-explained = أقوى عامل تحقق ثانٍ: مفتاح تصله بالجهاز أو تلمسه، أو مفتاح مرور على هذا الجهاز. يمكنك إضافة مفاتيح أخرى لاحقاً.
staff-enrol-app-title = أو تطبيق مصادقة
staff-key-add = أضف مفتاح أمان أو مفتاح مرور
staff-keys-title = مفاتيح الأمان ومفاتيح المرور
staff-key-added-on = مفتاح أُضيف في { $date }
staff-key-remove = أزل هذا المفتاح
staff-key-removed = أُزيل المفتاح: لم يعد يفتح حسابك.
staff-key-unknown = هذا المفتاح ليس من مفاتيحك.
staff-key-last = هذا هو عامل التحقق الثاني الوحيد لديك: أضف مفتاحاً آخر أو تطبيق مصادقة قبل إزالته.
staff-key-name = اسم المفتاح (تسمية خاصة بك)
staff-key-name-hint = { $max ->
        [zero] لا حروف.
        [one] حرف واحد على الأكثر. تسمية لا يراها غيرك، مثل «المفتاح الأزرق» أو «هاتف العمل»، ولا تضع فيها أسماء أشخاص أو أماكن.
        [two] حرفان على الأكثر. تسمية لا يراها غيرك، مثل «المفتاح الأزرق» أو «هاتف العمل»، ولا تضع فيها أسماء أشخاص أو أماكن.
        [few] { $max } حروف على الأكثر. تسمية لا يراها غيرك، مثل «المفتاح الأزرق» أو «هاتف العمل»، ولا تضع فيها أسماء أشخاص أو أماكن.
        [many] { $max } حرفاً على الأكثر. تسمية لا يراها غيرك، مثل «المفتاح الأزرق» أو «هاتف العمل»، ولا تضع فيها أسماء أشخاص أو أماكن.
       *[other] { $max } حرف على الأكثر. تسمية لا يراها غيرك، مثل «المفتاح الأزرق» أو «هاتف العمل»، ولا تضع فيها أسماء أشخاص أو أماكن.
    }
staff-key-rename = احفظ الاسم
staff-key-renamed = حُفظ اسم المفتاح.
staff-key-name-too-long = هذا الاسم طويل. اختصره من فضلك.
staff-key-name-invalid = اسم المفتاح سطر واحد من نص عادي.
staff-app-title = تطبيق المصادقة
staff-app-is-set = لحسابك تطبيق مصادقة يعطي رموز الدخول.
staff-app-not-set = ليس لحسابك تطبيق مصادقة: مفاتيح الأمان وحدها تؤكّد دخولك.
staff-app-replace = استبدل تطبيق المصادقة (هاتف جديد، هاتف مفقود)
staff-app-add = أضف تطبيق مصادقة
staff-app-new-title = تطبيق مصادقة جديد
staff-app-new-explained = اضبط التطبيق الجديد بالسرّ أدناه. يبقى تطبيقك الحالي صالحاً حتى تؤكّد بكلمة مرورك وبرمز من التطبيق الجديد، وبعدها لا تُقبل إلا رموز التطبيق الجديد.
staff-app-new-confirm = اكتب الرمز المؤلّف من 6 أرقام الذي يعرضه التطبيق الجديد، وكلمة مرورك الحالية.
staff-app-new-code = الرمز من التطبيق الجديد
staff-app-new-submit = استعمل التطبيق الجديد من الآن
staff-app-new-cancel = العودة إلى صفحة الأمان مع إبقاء التطبيق الحالي
staff-app-code-failed = هذا الرمز ليس من التطبيق الجديد، أو انتهت مدّته. لم يتغيّر شيء: اكتب الرمز الذي يعرضه التطبيق الجديد الآن.
staff-app-replaced = صار التطبيق الجديد هو المستعمل. رموز التطبيق القديم لم تعد تعمل.
staff-keys-count = { $count ->
        [zero] لا مفاتيح تؤكّد دخولك بعد.
        [one] مفتاح واحد يؤكّد دخولك.
        [two] مفتاحان يؤكّدان دخولك.
        [few] { $count } مفاتيح تؤكّد دخولك.
        [many] { $count } مفتاحاً تؤكّد دخولك.
       *[other] { $count } مفتاح تؤكّد دخولك.
    }
staff-security-key-added = أُضيف المفتاح.

staff-reset-second-factor = أعد ضبط العامل الثاني (هاتف أو مفتاح مفقود)
staff-role-names-title = أسماؤكم للأدوار
staff-role-names-explained = سمّوا الأدوار بما تسمّيها منظمتكم. الاسم يغيّر ما يقرؤه الناس فقط، أما صلاحيات كل دور فتبقى كما هي. اترك الحقل فارغاً لتبقي اسم ممر.
staff-role-name-ar = الاسم بالعربية
staff-role-name-en = الاسم بالإنكليزية
staff-role-name-invalid = اسم الدور سطر واحد من 60 محرفاً على الأكثر، دون علامات اتجاه مخفية.

staff-panic-title = إتلاف كل المفاتيح (حالة الطوارئ)
staff-panic-lead = إن كان الخادم على وشك أن يُصادَر، فهذا يجعل كل ما يخزّنه غير مقروء إلى الأبد، وعليك أنت أيضاً.
staff-panic-link = انتقل إلى إجراء الطوارئ
staff-panic-back = العودة إلى الحسابات دون إتلاف شيء
staff-panic-explained = هذا يتلف كل مفتاح على هذا الخادم: مفاتيح فريق العمل كلهم، ومفاتيح المنظمة، ومفاتيح كل الملفات، ومواد الاستعادة. يبقى ما هو مخزّن، ولن يستطيع أحد قراءته أبداً، ولا بحصص الأمناء. يخرج الجميع من جلساتهم. لا تراجع عن ذلك.
staff-panic-phrase = أتلف كل المفاتيح
staff-panic-type = للتأكيد اكتب: { $phrase }
staff-panic-phrase-wrong = لم تُكتب العبارة كما هي. لم يُتلف شيء.
staff-panic-submit = أتلف كل المفاتيح الآن
staff-panic-done-title = أُتلفت كل المفاتيح
staff-panic-done = أُتلف كل مفتاح على هذا الخادم. لن يُقرأ شيء مما يخزّنه بعد الآن.

## mamar verify (التحقق من بطاقة أو رد من سطر الأوامر)

verify-cli-valid = صالح: موقَّع بالمفتاح صاحب هذه البصمة
verify-cli-valid-until = صالح: موقَّع بالمفتاح صاحب هذه البصمة، وصالح حتى { $date }
verify-cli-expired = غير صالح: انتهت صلاحية البطاقة في { $date }. اطلب من المنظمة بطاقة حديثة.
verify-cli-not-from-organisation = غير صالح: المفتاح الذي في الملف ليس صاحب البصمة التي أعطيتها، فهذا الملف ليس من المنظمة.
verify-cli-forged = غير صالح: التوقيع لا يطابق المحتوى، فالملف غُيِّر أو زُوِّر.
verify-cli-bad-fingerprint = غير صالح: البصمة 64 رقماً ست عشرياً، أو كلمات البصمة العشرون، أو نص رمز QR.
verify-cli-damaged = غير صالح: الملف تالف أو ليس بطاقة أو رداً أو إصداراً من ممر ({ $detail })
verify-cli-org-ar = المنظمة (بالعربية)
verify-cli-org-en = المنظمة (بالإنجليزية)
verify-cli-web = الموقع
verify-cli-onion = عنوان onion
verify-cli-hotline = الخط الساخن
verify-cli-telegram = بوت تيليغرام
verify-cli-valid-until-field = صالحة حتى
verify-cli-release = الإصدار
verify-cli-release-date = تاريخ النشر
verify-cli-release-period = الفترة
verify-cli-release-tables = الجداول
verify-cli-release-note = ملاحظة

## mamar estimate --plot: the picture's labels (the reader's language; --lang)
estimate-plot-lists = { $lists ->
    [zero] لا قوائم
    [one] قائمة واحدة
    [two] قائمتان
    [few] { $lists } قوائم
    [many] { $lists } قائمة
   *[other] { $lists } قائمة
    }
estimate-plot-documented = الموثَّقون
estimate-plot-documented-count = الموثَّقون: { $count }
estimate-plot-total-axis = المجموع (الموثَّقون + المقدَّر عددهم ممن لم تذكرهم أي قائمة)
estimate-plot-bootstrap = إعادة المعاينة لاختيار النموذج
estimate-plot-chain = السلسلة { $number }
estimate-plot-draw-axis = السحبة المحفوظة (المجموع على المحور العمودي)
estimate-plot-posterior = التوزيع اللاحق للمجموع
estimate-plot-dashed-interval = الخطان المتقطعان: فترة الموثوقية
estimate-plot-no-estimate = لا تقدير: { $reason }
estimate-plot-not-converged = لم تتفق السلاسل: لا مجموع
estimate-plot-lcmcr = LCMCR (الوسيط اللاحق)
estimate-plot-joined-lcmcr = مضمومةً إلى فترة LCMCR
estimate-plot-lcmcr-not-joined = لم تتفق سلاسل LCMCR: لم تُضمّ فترتها
estimate-plot-lcmcr-lists-avoid = قائمتان تتجنّب إحداهما الأخرى: لم تُضمّ فترة LCMCR

## The public site closed for now (a full disk, a flood, after the panic action)
closed-title = لا نستطيع استقبال الطلبات هنا الآن
closed-for-now = لا تستطيع هذه القناة استقبال طلبات جديدة في هذه اللحظة. لم يضِع شيء مما أرسلته سابقاً. حاول مرة أخرى لاحقاً، أو تواصل معنا عبر إحدى قنواتنا الأخرى.
closed-keys-destroyed = هذه القناة مغلقة الآن. لم يعد ممكناً قراءة الطلبات المرسلة إليها، ولا يمكن إرسال شيء جديد. تواصل معنا عبر إحدى قنواتنا الأخرى.
closed-not-stored-title = لم يُحفظ طلبك
closed-not-stored = لم نتمكن من حفظ ما أرسلته للتو: لم يُحفظ، ولم يُنشأ له اسم رمزي. حاول مرة أخرى لاحقاً، أو تواصل معنا عبر إحدى قنواتنا الأخرى.
closed-channels-title = قنواتنا الأخرى
closed-no-channels = قنواتنا الأخرى مذكورة في بطاقة الاتصال الموقّعة، ولا يستطيع هذا الخادم عرضها الآن. استخدم قناة حصلت عليها من منشور مطبوع أو من شخص تثق به.
closed-check-channels = تحقّق من أي قناة بمطابقتها مع بصمة مفتاحنا قبل أن تثق بها.
closed-staff-title = أُتلفت مفاتيح المنظمة
closed-staff-keys-destroyed = أتلف إجراء الطوارئ كل المفاتيح على هذا الخادم. لا يستطيع أحد تسجيل الدخول هنا، ولا يمكن قراءة شيء مما خُزّن فيه. للمتابعة، يستعيد مسؤولٌ نسخةً احتياطية من قاعدة البيانات أُخذت قبل إجراء الطوارئ على خادم جديد، ويعيد بناء المفاتيح من حصص الأمناء (mamar recovery restore).

## إصدارات السجل (القضية 21)
registry-releases-title = الأرقام المنشورة
registry-releases-lead = أعداد الأشخاص الذين وثّقتهم هذه المنظمة، منشورة موقَّعة ليتحقق أي أحد من أنها منّا ولم تُغيَّر.
registry-releases-none = لم يُنشر شيء بعد.
registry-release-title = الإصدار { $number }
registry-period = الفترة
registry-lower-bound = العدد حدٌّ أدنى وليس تقديراً: لا يعدّ إلا من وصل إلى هذه المنظمة وسُجِّل. كثيرون غيرهم تركوا الخدمة دون أن يتصلوا بنا.
registry-release-method = تُحجب الأعداد التي تقل عن الحد، وتُحجب معها الأعداد التي تكشفها؛ ولكل عدد منشور ضجيج عشوائي مضاف (لابلاس المتقطع، OpenDP). أنفق هذا الإصدار ε = { $epsilon } من ميزانية الخصوصية لفترته.
registry-method = الحد { $threshold }؛ الضجيج: لابلاس المتقطع (OpenDP)، ε = { $epsilon } لهذا الجدول.
registry-table-by = حسب { $facet }
registry-table-by-two = حسب { $rows } و{ $cols }
registry-count = العدد
registry-total = المجموع
registry-unknown = غير معروف
registry-withheld = محجوب
registry-facet-institution = المؤسسة
registry-facet-service-type = نوع الخدمة
registry-facet-rank-class = فئة الرتبة
registry-facet-governorate = المحافظة
registry-facet-month-of-contact = شهر أول تواصل
registry-facet-month-of-arrival = شهر الوصول
registry-facet-outcome = النتيجة
registry-facet-destination = الوجهة
registry-facet-age-band = الفئة العمرية
registry-facet-service-years-band = سنوات الخدمة
registry-reference-title = إلى جانب التقديرات المنشورة
registry-reference-lead = التقديرات الأكثر تداولاً، مع نسبتها من قوام القوة حيث يذكرها المصدر، وما يوثّقه هذا الإصدار للفئة نفسها. عددنا هو من ساعدناهم وسجّلناهم: لا يمكن أن يزيد على العدد الحقيقي، وليس تقديراً له.
registry-reference-col-group = الفئة
registry-reference-col-estimate = التقدير المنشور
registry-reference-col-share = النسبة من القوام
registry-reference-col-documented = الموثَّق هنا
registry-reference-group = { $institution }، { $rank }
registry-ref-army = الجيش
registry-ref-interior-ministry = وزارة الداخلية
registry-ref-officer = الضباط
registry-ref-nco = صف الضباط
registry-ref-enlisted = الجنود
registry-ref-nco-and-enlisted = صف الضباط والجنود
registry-ref-defected = انشقوا
registry-ref-killed-after-defection = قُتلوا بعد الانشقاق
registry-files-title = الملفات الموقَّعة
registry-download-csv = ملف CSV موقَّع
registry-download-json = ملف JSON موقَّع
registry-verify-how = تحقق دون اتصال بالإنترنت من أن الملف منّا ولم يُغيَّر، بالبصمة المنشورة في صفحة التحقق:

received-again-title = وصلنا هذا الطلب من قبل
received-again-text = أُرسل هذا النموذج من قبل، والطلب محفوظ. لم نحفظه مرة ثانية.
received-again-codename = عُرض اسمك الرمزي مرة واحدة فقط، في الصفحة التي تلت الإرسال الأول، ولن يُعرض مرة أخرى. إن كنت كتبته فاستخدمه للعودة، وإلا فأرسل طلباً جديداً من البداية.
