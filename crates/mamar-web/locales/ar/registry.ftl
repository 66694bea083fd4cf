## صفحات المحلل: العدد الكلي عبر المنظمات، ولوحة الأرقام فوق السمات.

nav-total = العدد الكلي عبر المنظمات
nav-dashboard = لوحة الأرقام

total-title = العدد الكلي عبر المنظمات
total-lead = ترمّز كل منظمة شريكة قائمتها بالسر المشترك بينها (mamar clk encode --strata …) ولا ترسل إلا ملف الترميزات: لا يخرج اسم من أي منظمة. ارفع هنا ملفات الشركاء (ملفين أو أكثر) لعدّ الأشخاص في كل تركيبة من القوائم وتقدير عدد من فاتهم جميعاً.
total-files = ملفات الترميزات (ملفان أو أكثر)
total-strata = أعمدة الفئات (اختياري، تفصل بينها فواصل، مثل rank_class)
total-threshold = عتبة معامل دايس التي يُعدّ عندها ترميزان شخصاً واحداً
total-submit = قدّر
total-command = والأمر نفسه من سطر الأوامر:
total-lists-title = القوائم
total-list-col = القائمة
total-encodings-col = الترميزات
total-encodings =
    { $count ->
        [zero] لا ترميزات
        [one] ترميز واحد
        [two] ترميزان
        [few] { $count } ترميزات
        [many] { $count } ترميزاً
       *[other] { $count } ترميز
    }
total-matched =
    { $pairs ->
        [zero] المطابقة عند دايس ≥ { $threshold }: لم يُضمّ أي زوج من السجلات.
        [one] المطابقة عند دايس ≥ { $threshold }: ضُمّ زوج واحد من السجلات شخصاً واحداً.
        [two] المطابقة عند دايس ≥ { $threshold }: ضُمّ زوجان من السجلات كلٌّ شخصاً واحداً.
        [few] المطابقة عند دايس ≥ { $threshold }: ضُمّت { $pairs } أزواج من السجلات كلٌّ شخصاً واحداً.
        [many] المطابقة عند دايس ≥ { $threshold }: ضُمّ { $pairs } زوجاً من السجلات كلٌّ شخصاً واحداً.
       *[other] المطابقة عند دايس ≥ { $threshold }: ضُمّ { $pairs } زوج من السجلات كلٌّ شخصاً واحداً.
    }
total-results-title = الموثَّق والمقدَّر، حسب الفئة
total-col-stratum = الفئة
total-col-documented = الموثَّق (معدود)
total-col-estimate = العدد الكلي المقدَّر
total-col-interval = مجال { $level }٪
total-col-model = النموذج
total-all = الكل
total-pooled = كل الفئات معاً
total-not-recorded = غير مسجَّل
total-no-upper = بلا حد أعلى
total-no-estimate = لا تقدير: القوائم لا تتقاطع هنا بما يكفي لمعرفة عدد من فاتهم جميعاً.
total-independence = القوائم مستقلة
total-interactions = قوائم مترابطة: { $pairs }
total-lower-bound = العدد الموثَّق معدود: هم الأشخاص الموجودون في قائمة واحدة على الأقل، وهو حد أدنى. أما العدد الكلي المقدَّر فهو من نموذج، ومعه مجاله: ليس عدّاً، ولا يُجمع الاثنان ولا يُخلطان.
total-chart-title = الموثَّق (شريط) والعدد الكلي المقدَّر مع مجاله (خط)، حسب الفئة
total-chart-documented = موثَّق
total-chart-estimate = تقدير
total-method-title = الطريقة
total-method = نماذج بواسون اللوغاريتمية الخطية مع تفاعلات ثنائية بين القوائم، ويُختار النموذج بمعيار AIC. المجال من إعادة معاينة (bootstrap) مئينية بـ { $replicates } عينة من الأشخاص المرئيين، يُختار النموذج من جديد في كل منها (البذرة { $seed }).
total-assumptions-title = ما يفترضه التقدير
total-assumption-closed = جماعة مغلقة: المعدودون جماعة واحدة في مدة واحدة، لا يدخلها أحد ولا يخرج منها بين القوائم.
total-assumption-matching = المطابقة صحيحة: الترميزان عند العتبة أو فوقها شخص واحد، وكل قائمة تحمل كل شخص مرة واحدة.
total-assumption-dependence = لا ترتبط القوائم بعضها ببعض إلا كما يسمح النموذج المختار؛ ومع ثلاث قوائم لا يمكن فحص الترابط الثلاثي فيُفترض غائباً.
total-assumption-alike = داخل الفئة، من فاتتهم القوائم كلها يشبهون من تشترك فيهم.
total-assumption-interval = المجال يحسب حساب المصادفة واختيار النموذج، لا أخطاء المطابقة.
total-problem-no-files = اختر ملفين من ملفات الترميزات على الأقل.
total-problem-threshold = العتبة رقم بين 0 و1.
total-problem-too-large = الملفات معاً أكبر من المسموح (حتى { $mb } ميغابايت).
total-problem-not-encodings = ‏{ $file } ليس ملف ترميزات: يجب أن يسمّي سطره الأول العمودين clk وscheme (كما يكتبهما mamar clk encode).
total-problem-line = ‏{ $file }، السطر { $line }: هذا السطر ليس ترميزاً مقروءاً.
total-problem-empty = ‏{ $file } لا يحوي ترميزات.
total-problem-scheme = رُمِّز { $file } بخيارات أو سر غير ما رُمِّز به { $first }: على كل الشركاء أن يرمّزوا بالطريقة نفسها.
total-problem-column = ليس في { $file } عمود «{ $column }».
total-problem-same-name = ملفان باسم { $file }: غيّر اسم أحدهما.
total-problem-file = تعذّرت قراءة { $file } نصاً بصيغة CSV.

dashboard-title = السجل بالأرقام
dashboard-never-a-person = أعداد الحالات من سماتها الإحصائية وحدها: لا يظهر هنا اسم ولا رسالة ولا حالة. تبقى هذه الأعداد داخل المنظمة؛ وما يُنشر يمر بضوابط الإفصاح في الإصدارات.
dashboard-from = أول تواصل من (YYYY-MM، اختياري)
dashboard-to = إلى (YYYY-MM، اختياري)
dashboard-show = اعرض
dashboard-problem-month = يُكتب الشهر هكذا YYYY-MM، مثل 2026-03؛ عُرضت كل الأشهر.
dashboard-unavailable = لا تُفتح سمات الحالات بمفاتيح جلستك: تحتاج اللوحة إلى مفتاح التحليل.
dashboard-by-quarter = أول تواصل حسب الربع
dashboard-cases =
    { $count ->
        [zero] لا حالات.
        [one] حالة واحدة.
        [two] حالتان.
        [few] { $count } حالات.
        [many] { $count } حالة.
       *[other] { $count } حالة.
    }

nav-publish = نشر الأرقام
publish-title = نشر إصدار
publish-lead = تُصنع أعداد الجداول المختارة من سمات الحالات، وتُحجب الأعداد الصغيرة ومعها ما يكشفها، ويُضاف تشويش إلى كل عدد منشور، ويوقَّع الكل بمفتاح المنظمة. الإصدار بعد نشره عام ولا يمكن سحبه.
publish-unavailable = يحتاج النشر إلى مفتاح التوقيع للمنظمة ومفتاح التحليل في جلستك.
publish-tables = الجداول
publish-period = مدة الإصدار (مثل 2026-Q4 أو 2026-12 أو 2026)
publish-limit = ميزانية الخصوصية للمدة، ε (تبقى كما حُددت في أول إصدار فيها)
publish-threshold = تُحجب الأعداد الأصغر من هذا
publish-epsilon = ε الذي يصرفه كل جدول
publish-submit = وقّع وانشر
publish-problem-tables = اختر جدولاً واحداً على الأقل.
publish-problem-numbers = الميزانية وε رقمان موجبان، والعتبة عدد صحيح.
publish-problem-period = تُكتب المدة هكذا 2026 أو 2026-Q4 أو 2026-12.
publish-problem-signing = لا ينشر إلا من يحمل مفتاح التوقيع للمنظمة.
publish-problem-facets = تعذّرت قراءة سمات الحالات هنا: لم يُنشر شيء.
publish-problem-budget = ميزانية الخصوصية للمدة لا تسمح بهذا الإصدار: لم يُنشر شيء. اختر جداول أقل أو ε أصغر، أو انتظر المدة التالية.
publish-problem-store = تعذّر تسجيل الإصدار: لم يُنشر شيء.
total-problem-strata = تعطي أعمدة الفئات أكثر من { $max } فئة: عمود الفئة يحمل تصنيفات كفئة الرتبة أو السنة، لا اسماً ولا رقم تعريف.
