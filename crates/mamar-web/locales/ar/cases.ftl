## مساحة عمل الفريق: التنقل، الصفحة الرئيسية، الحالات، صفحات الطلبات

nav-home = الرئيسية
nav-more = المزيد
nav-cases = حالاتي
nav-approvals = بانتظاري
nav-awaiting = رسائل تنتظر الرد
nav-requests = طلبات جديدة

home-approvals = قرارات تنتظر موافقتك
home-no-approvals = لا شيء ينتظر موافقتك.
home-requests = الطلبات
home-urgent = في خطر مباشر
home-new-requests = طلبات جديدة
home-my-cases = حالاتك
home-awaiting = رسائل تنتظر الرد
home-frozen = حالات مجمّدة

stage-new = جديدة
stage-triage = فرز
stage-vetting = تدقيق
stage-planning = تخطيط
stage-in-transit = في الطريق
stage-arrived = وصل
stage-follow-up = متابعة
stage-closed = مغلقة

duty-intake = الاستقبال
duty-coordinator = منسّق
duty-vetting = تدقيق
duty-reception = الاستقبال في المنطقة الآمنة
duty-partner-liaison = التنسيق مع الشركاء

vetting-cleared = اجتاز التدقيق
vetting-not-cleared = لم يجتز التدقيق
vetting-suspected-infiltration = يُشتبه بأنه مندسّ

outcome-safe-staying = بأمان وباقٍ
outcome-safe-relocated = بأمان وانتقل
outcome-lost-contact = انقطع التواصل
outcome-withdrew = تراجع
outcome-suspected-infiltration = يُشتبه بأنه مندسّ
outcome-arrested = اعتُقل
outcome-killed = استُشهد

source-request = طلب
source-hotline = مكالمة على الخط الساخن
source-partner = ملف إحالة من منظمة شريكة

cases-title = حالاتك
cases-search = رقم الحالة أو الاسم أو الهاتف
cases-stage = المرحلة
cases-any-stage = كل المراحل
cases-urgent-only = في خطر مباشر فقط
cases-mine-only = الحالات التي أتولاها
cases-filter = اعرض
cases-count =
    { $count ->
        [zero] لا توجد حالات.
        [one] حالة واحدة.
        [two] حالتان.
        [few] { $count } حالات.
        [many] { $count } حالة.
       *[other] { $count } حالة.
    }
cases-empty = لا توجد حالة مطابقة.
cases-search-needs-key = البحث بالاسم أو الهاتف يحتاج إلى مفتاح الربط، ودورك لا يحمله. ابحث برقم الحالة.
cases-unfreeze-title = رفع التجميد عن حالة
cases-unfreeze-reference = رقم الحالة المجمّدة
cases-unfreeze-help = لا يمكنك قراءة الحالة. يجب أن يوافق أحد العاملين عليها قبل رفع التجميد.
cases-unfreeze-ask = اطلب رفع التجميد
case-frozen-flag = مجمّدة
case-urgent-flag = خطر مباشر
case-awaiting-flag = رسالة تنتظر الرد
days-ago =
    { $count ->
        [zero] نشاط اليوم
        [one] نشاط أمس
        [two] نشاط قبل يومين
        [few] نشاط قبل { $count } أيام
        [many] نشاط قبل { $count } يوماً
       *[other] نشاط قبل { $count } يوم
    }

case-title = الحالة { $reference }
case-heading = الحالة
case-next = الخطوة التالية:
case-your-duties = مهمتك في هذه الحالة: { $duties }
case-pending = بانتظار شخص ثانٍ
case-asked-by = طلبه { $name }
case-approve = موافقة
case-refuse = رفض
case-waiting-for-someone-else = بانتظار موافقة شخص آخر من العاملين على الحالة.
case-answers = الطلب
case-identity = هوية الشخص
case-identity-name = الاسم الكامل
case-identity-birth-year = سنة الميلاد
case-identity-phone = الهاتف
case-messages = المحادثة مع صاحب الطلب
case-no-messages = لا رسائل بعد.
case-signed = موقّعة
case-message-label = رسالة إلى صاحب الطلب (موقّعة من المنظمة، يقرؤها بكلمته السرية)
case-message-send = أرسل الرسالة
case-vetting = التدقيق
case-vetting-warning = التدقيق يسأل هل الشخص هو من يقول، وهل قصته متماسكة. لا يطلب أي معلومات عسكرية أبداً، ولا يُكشف شيء عن فريقنا أو طرقنا.
case-no-findings = لا نتائج بعد.
case-finding-item = بند القائمة
case-finding-text = ما وجدته
case-finding-add = سجّل النتيجة
case-vetting-decision = قرارك
case-vetting-rationale = السبب
case-needs-second-person = يجب أن يوافق شخص ثانٍ من العاملين على الحالة قبل أن يسري هذا.
case-vetting-freeze-help = «يُشتبه بأنه مندسّ» يجمّد الحالة فوراً، ولا يرى صاحب الطلب أي تغيير.
case-vetting-propose = اقترح القرار
case-notes = ملاحظات داخلية
case-notes-private = لا يراها صاحب الطلب أبداً.
case-note-label = ملاحظة جديدة
case-note-add = أضف الملاحظة
case-team = الفريق
case-owner = المسؤول عن الحالة
case-unassign = أزل
case-unassign-help = إزالة شخص تعطي الحالة مفتاحاً جديداً: ما كان يستطيع قراءته لا يفتح شيئاً جديداً.
case-assign-who = أضف شخصاً
case-assign-duty = المهمة
case-assign = أضفه إلى الحالة
case-move = نقل الحالة
case-advance = انقل إلى المرحلة التالية
case-reopen-reason = سبب إعادة الفتح
case-reopen = اطلب إعادة الفتح
case-close-outcome = النتيجة
case-close-reason = ملاحظة على الإغلاق
case-close-help = الحالة المغلقة تُقرأ فقط، حتى يُعاد فتحها بموافقة شخص ثانٍ.
case-close = اطلب إغلاق الحالة
case-timeline = سجلّ الأحداث
case-the-requester = صاحب الطلب
case-before-case = قبل فتح الحالة
case-close-as = إغلاق بنتيجة «{ $outcome }»
case-approval-vetting = قرار التدقيق
case-approval-close = الإغلاق
case-approval-reopen = إعادة الفتح
case-approval-unfreeze = رفع التجميد

case-next-new = أضف من سيعملون عليها، ثم ابدأ الفرز.
case-next-triage = راجع الطلب، ثم انتقل إلى التدقيق (يجب أن يكون على الحالة مسؤول تدقيق).
case-next-vetting = سجّل النتائج على القائمة واقترح قرار التدقيق.
case-next-planning = ضع خطة الخروج مع المنسّق.
case-next-in-transit = ابقَ على تواصل حتى يصل الشخص.
case-next-arrived = سجّل اختيار الشخص وابدأ المتابعة.
case-next-follow-up = تابع، ثم أغلق الحالة بموافقة شخص ثانٍ.
case-next-closed = لا شيء: الحالة مغلقة. يمكن إعادة فتحها مع ذكر السبب.
case-next-frozen = لا شيء: الحالة مجمّدة. يستطيع مسؤول أن يطلب رفع التجميد، ويجب أن يوافق أحد العاملين عليها.

case-event-opened = فتح الحالة من { $detail }
case-event-assigned = أضاف { $subject } بمهمة { $detail }
case-event-unassigned = أزال { $subject } (للحالة مفتاح جديد)
case-event-owner = سلّم الحالة إلى { $subject }
case-event-stage = نقل الحالة إلى مرحلة { $detail }
case-event-requested = طلب موافقة شخص ثانٍ: { $detail }
case-event-granted = وافق: { $detail }
case-event-refused = رفض: { $detail }
case-event-frozen = جمّد الحالة وطلب موافقة شخص ثانٍ: { $detail }

case-done-advanced = انتقلت الحالة إلى مرحلتها التالية.
case-done-note = أُضيفت الملاحظة.
case-done-finding = سُجّلت النتيجة.
case-done-assigned = أُضيف إلى الحالة. مفتاح الحالة مغلّف الآن له.
case-done-unassigned = أُزيل من الحالة. للحالة مفتاح جديد.
case-done-sent-for-approval = أُرسل إلى شخص ثانٍ للموافقة.
case-done-frozen = جُمّدت الحالة، وقرارك ينتظر موافقة شخص ثانٍ.
case-done-granted = تمت الموافقة، ويسري القرار الآن.
case-done-refused = رُفض. لم يتغير شيء.
case-done-message-sent = أُرسلت الرسالة موقّعة من المنظمة.
case-done-opened = فُتحت الحالة. الطلب يعيش الآن في هذه الحالة وحدها.
case-done-opened-duplicates = فُتحت الحالة. قد تكون حالة أخرى للشخص نفسه: ابحث بالاسم أو الهاتف وقارن قبل المتابعة.
case-done-unfreeze-asked = أُرسل الطلب. يجب أن يوافق أحد العاملين على الحالة قبل رفع التجميد.
case-done-reply-sent = أُرسل الرد موقّعاً من المنظمة.

case-problem-not-assigned = هذا متاح فقط للعاملين على هذه الحالة.
case-problem-wrong-duty = مهمتك في هذه الحالة لا تشمل ذلك.
case-problem-duty-not-allowed = دور هذا الشخص لا يسمح بهذه المهمة.
case-problem-closed = الحالة مغلقة: تُقرأ فقط، أو يُعاد فتحها بموافقة شخص ثانٍ.
case-problem-frozen = الحالة مجمّدة: لا يُقبل إلا رفع التجميد بطلب من مسؤول وموافقة أحد العاملين عليها.
case-problem-not-frozen = الحالة غير مجمّدة.
case-problem-wrong-stage = لا يمكن فعل ذلك في هذه المرحلة.
case-problem-already-assigned = لهذا الشخص هذه المهمة على الحالة بالفعل.
case-problem-owner-cannot-leave = لا يمكن إزالة المسؤول عن الحالة قبل أن يتولاها غيره. أضف منسّقاً أولاً.
case-problem-owner-not-assigned = يجب أن يكون المسؤول عن الحالة من العاملين عليها.
case-problem-no-vetting-officer = أضف مسؤول تدقيق إلى الحالة قبل بدء التدقيق.
case-problem-already-pending = قرار من النوع نفسه ينتظر موافقة شخص ثانٍ بالفعل.
case-problem-no-such-approval = هذه الموافقة لم تعد منتظرة.
case-problem-own-request = لا أحد يوافق على طلبه بنفسه: يجب أن يوافق شخص آخر من العاملين على الحالة.
case-problem-expired = انتهت مهلة الموافقة. اطلبها من جديد.
case-problem-administrator-only = هذا متاح للمسؤولين فقط.
case-problem-reason-needed = يرجى ذكر السبب.
case-problem-missing-key = مفاتيحك لا تسمح بذلك (يحتاج إلى مفتاح التوقيع أو الاستقبال أو الربط).
case-problem-no-such-staff = اختر شخصاً من القائمة.
case-problem-bad-text = النص فارغ أو أطول من 5,000 حرف. لم يُحفظ شيء.
case-problem-bad-year = سنة الميلاد أربعة أرقام، مثلاً 1998. لم يُحفظ شيء.
case-problem-conflict = غيّر شخص آخر الحالة في اللحظة نفسها. لم يُحفظ شيء، يرجى المحاولة مرة أخرى.
case-problem-no-request = هذا الطلب لم يعد موجوداً.
case-problem-already-opened = هذا الطلب صار حالة بالفعل.
case-problem-no-case = لا توجد حالة بهذا الرقم.

inbox-count =
    { $count ->
        [zero] لا توجد طلبات لم تُفتح كحالات.
        [one] طلب واحد لم يُفتح كحالة بعد.
        [two] طلبان لم يُفتحا كحالتين بعد.
        [few] { $count } طلبات لم تُفتح كحالات بعد.
        [many] { $count } طلباً لم تُفتح كحالات بعد.
       *[other] { $count } طلب لم تُفتح كحالات بعد.
    }
inbox-show-all = اعرض الكل
inbox-urgent-only = اعرض من هم في خطر مباشر فقط
inbox-unreadable-short = مختوم بمفتاح لا تحمله
inbox-messages =
    { $count ->
        [zero] لا رسائل
        [one] رسالة واحدة
        [two] رسالتان
        [few] { $count } رسائل
        [many] { $count } رسالة
       *[other] { $count } رسالة
    }
inbox-pages = الصفحات
page-previous = الأحدث
page-next = الأقدم
page-of = الصفحة { $page } من { $pages }
inbox-back = العودة إلى الطلبات الجديدة
inbox-open-case = فتح حالة
inbox-open-case-explained = فتح حالة ينقل الطلب ورسائله تحت مفتاح حالة جديد لا يحمله إلا العاملون عليها. ستكون المسؤول عنها حتى يتولاها منسّق.
optional = (اختياري)
inbox-open-identity-help = فقط إن أخبرك الشخص بها: تُشفَّر مع الحالة وتُفهرس ليحذّرك ممر إن وُجد الشخص نفسه في حالة أخرى.
inbox-open-case-button = افتح الحالة

audit-action-case_opened = فتح حالة
audit-action-case_stage_changed = نقل حالة إلى مرحلة أخرى
audit-action-case_frozen = جمّد حالة (اشتباه بالاندساس)
audit-action-approval_requested = طلب موافقة شخص ثانٍ
audit-action-approval_granted = وافق على طلب شخص آخر
audit-action-approval_refused = رفض طلب شخص آخر

call-title = تسجيل مكالمة
call-lead = لمن اتصل على الخط الساخن: اطرح أسئلة الاستمارة بكلمات المتصل، ثم افتح حالة. لا يُحفظ شيء قبل أن تضغط الزر.
call-hotlines = أرقام الخط الساخن في بطاقة الاتصال الموقّعة:
call-no-hotlines = لا أرقام خط ساخن في بطاقة الاتصال الموقّعة بعد: يضيفها المسؤول إلى البطاقة (mamar card) لتظهر هنا وعلى الصفحات العامة.
call-open = افتح حالة لهذه المكالمة
nav-call = تسجيل مكالمة
case-done-opened-call = فُتحت حالة للمكالمة. أنت المسؤول عنها حتى يتولاها منسّق.
cases-governorate = المحافظة
cases-any-governorate = كل المحافظات
cases-assignee = من يعمل على الحالة
cases-anyone = أي أحد

landing-channels-title = قنواتنا
landing-channels-check = هذه عناوين وأرقام بطاقة التواصل الموقّعة منا. من يعرض عليك قناة أخرى باسمنا ليس نحن: تحقق من أي بطاقة في صفحة التحقق.

# بين عناصر قائمة داخل جملة (فاصلة عربية ومسافة).
list-separator = {"، "}

# المرفقات والحالات التي قد تكون للشخص نفسه
case-files = الملفات
case-no-files = لا ملفات بعد.
case-file-label = أضف ملفًا (صورة وثيقة، صورة، رسالة صوتية)
case-file-hint = صور (JPEG وPNG وWebP) أو PDF أو رسائل صوتية (OGG وMP3 وM4A)، حتى { $megabytes } ميغابايت. يُشفَّر الملف لحظة وصوله، ولا يفتحه إلا من على هذه الحالة وتشمل مهمته الملفات. قد تحمل الصور مكان التقاطها: أزل ذلك قبل إضافتها إن كان قد يؤذي أحدًا.
case-file-add = أضف الملف
case-event-attached = أضاف الملف { $detail }
case-event-attached-unnamed = أضاف ملفًا
case-done-attached = أُضيف الملف، وهو مشفّر بمفتاح هذه الحالة.
case-problem-file-too-large = الملف أكبر مما تقبله المنظمة. لم يُحفظ شيء.
case-problem-file-missing = لم يصل أي ملف (لم يُختر ملف، أو انقطع الرفع). لم يُحفظ شيء؛ اختر الملف من جديد.
case-problem-file-wrong-type = لا يمكن حفظ هذا النوع من الملفات: الصور وملفات PDF والرسائل الصوتية فقط. لم يُحفظ شيء.
case-duplicates = قد يكون هذا الشخص نفسه صاحب حالة أخرى:
case-duplicates-hint = قارن مع فريق تلك الحالة قبل المتابعة. لا يُدمج شيء من تلقاء نفسه.
case-duplicate-phone = رقم الهاتف نفسه
case-duplicate-name = كل أجزاء الاسم وسنة الميلاد
case-duplicate-similar = اسم وتفاصيل متشابهة (التشابه { $percent }٪)
size-kb = { $n } كيلوبايت
size-mb = { $n } ميغابايت

## Break-glass (issue 16)
duty-break-glass = كسر الزجاج (قراءة فقط)
nav-break-glass = كسر الزجاج
home-break-glass =
    { $count ->
        [zero] لا طلب ولا فتح بكسر الزجاج قائم الآن.
        [one] طلب أو فتح واحد بكسر الزجاج قائم الآن.
        [two] طلبان أو فتحان بكسر الزجاج قائمان الآن.
        [few] { $count } طلبات أو فتوحات بكسر الزجاج قائمة الآن.
        [many] { $count } طلباً أو فتحاً بكسر الزجاج قائماً الآن.
       *[other] { $count } طلب أو فتح بكسر الزجاج قائم الآن.
    } يراها كل المسؤولين.
case-break-glass-reading = أنت تقرأ هذه الحالة بكسر الزجاج: تستطيع قراءتها ولا تستطيع تغيير شيء فيها، حتى ينتهي وصولك. يرى كل المسؤولين أنك فتحتها، ويسجّل ذلك سجلُّ التدقيق.
case-done-break-glass-opened = فُتحت بكسر الزجاج. نُبِّه كل المسؤولين، وسجّل ذلك سجلُّ التدقيق.
case-problem-read-only = أنت تقرأ هذه الحالة بكسر الزجاج: لا تستطيع تغيير شيء فيها.
case-problem-already-approved = سبق أن وافقت على هذا الطلب.
case-problem-break-glass-threshold = يحتاج كسر الزجاج إلى مسؤولَين اثنين على الأقل معاً.
case-problem-break-glass-not-set-up = كسر الزجاج غير مُعَدّ في هذه المنظمة، فلا يستطيع أحد من خارج فريق الحالة قراءتها.
case-problem-no-break-glass-share = لا تملك حصة من مفتاح كسر الزجاج: صرت مسؤولاً بعد إعداده.
case-problem-no-such-break-glass = لم يعد طلب كسر الزجاج هذا ينتظر.
case-problem-break-glass-waiting = يجب أن يوافق مسؤولون آخرون قبل أن تُفتح الحالة.
case-problem-no-escrow = فُتحت هذه الحالة قبل إعداد كسر الزجاج ولم يفتحها أحد من فريقها منذ ذلك الحين: لا يستطيع كسر الزجاج فتحها بعد.
case-problem-bad-duration = اكتب عدد الساعات، ساعة واحدة على الأقل.
break-glass-title = كسر الزجاج
break-glass-explained = حين يتعذّر الوصول إلى فريق حالة ما، يستطيع مسؤول أن يطلب قراءتها بسبب مكتوب ولمدة محدودة. يوافق مسؤولون آخرون كلٌّ في جلسته: يسلّم كل منهم حصته من مفتاح كسر الزجاج، ولا يستطيع عدد من المسؤولين أقل من الحد المطلوب فتح الحالة. لا يغيّر القارئ شيئاً. يرى كل المسؤولين هنا كل طلب وكل فتح، ويسجّلها سجلُّ التدقيق. وحين تنتهي المدة ينتهي الوصول، وتنال الحالة مفتاحاً جديداً في المرة التالية التي يفتحها فيها أحد من فريقها.
break-glass-not-set-up = كسر الزجاج غير مُعَدّ: لا يستطيع أحد من خارج فريق حالة ما قراءتها. يستطيع مسؤول إعداده على الخادم بالأمر: mamar keys break-glass setup --threshold 2
break-glass-threshold =
    { $count ->
        [zero] لا يلزم أي مسؤول لفتح حالة.
        [one] يفتح مسؤول واحد حالةً.
        [two] يفتح مسؤولان معاً حالةً.
        [few] يفتح { $count } مسؤولين معاً حالةً.
        [many] يفتح { $count } مسؤولاً معاً حالةً.
       *[other] يفتح { $count } مسؤول معاً حالةً.
    }
break-glass-without-escrow =
    { $count ->
        [zero] يستطيع كسر الزجاج فتح كل الحالات.
        [one] حالة واحدة فُتحت قبل إعداد كسر الزجاج لا يستطيع فتحها بعد: سيستطيع حين يفتحها أحد من فريقها.
        [two] حالتان فُتحتا قبل إعداد كسر الزجاج لا يستطيع فتحهما بعد: سيستطيع حين يفتح كلاً منهما أحد من فريقها.
        [few] { $count } حالات فُتحت قبل إعداد كسر الزجاج لا يستطيع فتحها بعد: سيستطيع حين يفتح كلاً منها أحد من فريقها.
        [many] { $count } حالةً فُتحت قبل إعداد كسر الزجاج لا يستطيع فتحها بعد: سيستطيع حين يفتح كلاً منها أحد من فريقها.
       *[other] { $count } حالة فُتحت قبل إعداد كسر الزجاج لا يستطيع فتحها بعد: سيستطيع حين يفتح كلاً منها أحد من فريقها.
    }
break-glass-shares-unusable = لا يمكن استخدام كسر الزجاج الآن: عدد المسؤولين الحاليين الذين يحملون حصة أقل من المطلوب (يحملونها: { $in_office }؛ المطلوب: { $threshold }). يستطيع من غادر من حمَلة الحصص أن يقدّم حصته بنفسه على الخادم: mamar keys break-glass reshare
break-glass-shares-mismatch = لم تعد الحصص موافقة للمسؤولين (حمَلة حصص لم يعودوا مسؤولين: { $left }؛ مسؤولون بلا حصة: { $without }). أعيدوا توزيعها على الخادم: mamar keys break-glass reshare
break-glass-live = الطلبات والحالات المفتوحة
break-glass-none = لا طلب ينتظر ولا حالة مفتوحة بكسر الزجاج.
break-glass-asked-by = طلبه { $name }
break-glass-reason-hidden = (لم يُختم السبب لمفاتيحك)
break-glass-shares = الحصص المتوفرة: { $shares } من { $threshold }
break-glass-open-until = مفتوحة حتى { $until }
break-glass-waiting-until = تنتظر الموافقات حتى { $until }
break-glass-approve = وافق وسلّم حصتي
break-glass-open = افتح الحالة
break-glass-go = اقرأ الحالة
break-glass-ask-title = اطلب قراءة حالة
break-glass-reference = الرقم المرجعي للحالة
break-glass-reason = لماذا يجب أن تقرأها، ولماذا يتعذّر الوصول إلى فريقها
break-glass-hours = لكم ساعة (على الأكثر { $max })
break-glass-ask = اطلب من المسؤولين الآخرين
break-glass-done-asked = أُرسل الطلب. يرى كل المسؤولين طلبك وسببه.
break-glass-done-approved = تمت الموافقة: خُتمت حصتك للمسؤول الذي طلب.
break-glass-done-opened = فُتحت.
