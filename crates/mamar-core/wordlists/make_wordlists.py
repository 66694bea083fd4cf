#!/usr/bin/env python3
"""Builds mamar's codename word lists from packaged sources (see README.md).

  en.txt: the EFF large diceware list as Debian's `diceware` package ships it
          (/usr/share/... or the package's wordlists/wordlist_en_eff.txt),
          less hyphenated words and the words in BLOCK_EN.
  ar.txt: Arabic words from the `wordfreq` frequency list (PyPI), kept only if
          they are also a stem in Debian's `hunspell-ar` dictionary, written
          in plain Arabic letters (no diacritics), 3 to 7 letters, not
          starting with the article, not a clitic-prefixed form of a more
          frequent word, not in BLOCK_AR; folded spellings (see fold_ar) are
          deduplicated keeping the most frequent; the 7776 most frequent
          survivors are kept and sorted.

Usage (prints what it removed to stderr):
  apt-get install diceware hunspell-ar
  python3 -m venv /tmp/venv-intake && /tmp/venv-intake/bin/pip install wordfreq==3.1.1
  /tmp/venv-intake/bin/python crates/mamar-core/wordlists/make_wordlists.py
"""
import re
import sys
import unicodedata
from pathlib import Path

import wordfreq

HERE = Path(__file__).resolve().parent
EFF = Path("/usr/lib/python3/dist-packages/diceware/wordlists/wordlist_en_eff.txt")
HUNSPELL_AR = Path("/usr/share/hunspell/ar.dic")
ARABIC_SIZE = 7776

# Words a requester must not be handed: violence, the military and policing,
# prison, death, politics and sects, religion, sex, drugs and insults. A
# codename is written down or said aloud; "army regime traitor" is not a
# thing to carry through a checkpoint. Each entry is a regular expression
# matched against the whole word.
BLOCK_EN = r"""
abus.* ammo.* arm(ed|ful|ing|ory|ored|band|y|s)? arson.* assault.* attack.* battle.* bleed.* blood.*
bomb.* brigade.* bullet.* captive.* casket.* coffin.* combat.* convict.* corpse.* crime.* criminal.*
dead.* death.* defect.* deport.* desert.* die[ds]? divisi.* drown.* dying drug.* enemy.* execut.* exil.*
explo(de|sion|sive).* flee.* fugitive.* gallows grave(s|yard|ness)? gun.* hang(ing|man)? hostage.*
inmate.* jail.* kidnap.* kill.* martyr.* militar.* militia.* missile.* murder.* nuclear.* nuke.*
patrol.* pistol.* poison.* police.* prison.* rebel.* regime.* revolt.* rifle.* riot.* sabotag.*
shoot.* siege.* smuggl.* sniper.* soldier.* spy.* stab(bing|bed)? strangl.* suicid.* tank.* terror.*
tortur.* traitor.* treason.* troop.* violen.* war warfare warhead.* warlord.* warpath warrior.* wartime
weapon.* wound.* agony ambush.* arrest.* bribe.* cadet.* cannon.* dagger.* dictat(or|ors|orship) enlist.*
escap.* fascis.* hatchet.* hate.* hatred oppress.* racis.* raid.* shrapnel surrender.* trench.* uniformed salut(e|ed|es|ing)
crook.* custody fanatic.* gangrene handcuff.* mutin.* punish.* robbing spearhead spearman
curse.* hangover pork pope pastor.* sermon.* sacred saint.* abort.* tumor.* cancer.* militant.*
god.* pray.* church.* bible.* satan.* devil.* demon.* hell heretic.* pagan.* sinner.* holy
sex.* nude.* naked.* porn.* erotic.* drunk.* cocaine heroin opium vomit.* stupid.* idiot.*
"""

BLOCK_AR = r"""
.*قتل.* .*قتال.* .*حرب.* .*جيش.* .*جنود.* .*جندي.* .*سلاح.* .*اسلح.* .*بندق.* .*رصاص.* .*قنبل.* .*قنابل.*
.*صاروخ.* .*صواريخ.* .*دباب.* .*مدفع.* .*ذخير.* .*عسكر.* .*ضابط.* .*ضباط.* لواء الوية .*كتيب.* .*فرقه.*
سريه جبهه .*معرك.* .*هجوم.* .*هاجم.* .*غاره.* .*قصف.* .*انفجار.* .*تفجير.* .*متفجر.* .*اغتيال.* .*اعدام.*
[ينتا]?موت موتي ميت ميته مات ماتت .*قبر.* .*جثه.* .*جثث.* .*شهيد.* .*شهدا.* دم دماء .*دموي.* .*جريح.* .*جرحي.*
.*ذبح.* .*تعذيب.* .*سجن.* .*سجين.* .*سجون.* .*معتقل.* .*اعتقال.* .*اعتقل.* .*خطف.* .*رهين.* .*رهاين.*
.*ارهاب.* .*مخابرات.* .*شرطه.* .*حاجز.* .*انشقاق.* .*منشق.* .*انشق.* .*خاين.* .*خيانه.* .*خون.* عميل عملاء
.*جاسوس.* .*تجسس.* نظام .*ثوره.* .*ثوار.* .*ثاير.* .*متمرد.* .*معارض.* .*مظاهر.* .*اسد.* بشار حافظ ماهر
.*بعث.* .*شبيح.* .*حزب.* .*داعش.* قاعده .*نصره.* .*جهاد.* .*تكفير.* .*كافر.* .*كفار.* كفر .*مرتد.*
.*صهيون.* .*يهود.* .*نصاري.* .*شيعه.* .*شيعي.* سني سنيه .*علوي.* .*درزي.* .*دروز.* .*اكراد.* كردي كرد
.*مسيحي.* .*مسلم.* .*اسلام.* .*لله.* رب نبي نبيا .*انبيا.* .*رسول.* .*قران.* .*مسجد.* .*كنيس.* صلاه صلي
.*جهنم.* .*شيطان.* .*ابليس.* .*صنم.* محمد عيسي موسي .*اسراييل.* ايران روسيا .*انتحار.* .*نعش.* .*كفن.*
.*جنازه.* .*وفاه.* .*قتيل.* .*سرطان.* .*وباء.*
.*جنس.* .*دعاره.* .*عاهر.* زنا زاني زانيه .*شرموط.* .*منيوك.* نيك .*نيك ناك كس .*طيز.* زب خول .*لوطي.*
.*شاذ.* .*قحب.* .*عرص.* .*حمار.* .*حمير.* .*كلب.* .*كلاب.* .*خنزير.* .*خنازير.* .*حقير.* .*غبي.* .*احمق.*
.*اغتصاب.* .*تحرش.* .*ابادة.* اشلاء .*جحيم.* .*اجهاض.* .*ابتزاز.* .*احتل.* .*انقلاب.* .*انتفاضة.* .*انتحر.*
.*اغتيل.* .*اعتداء.* .*احتجاز.* .*استجواب.* .*اختطا?ف.* .*اشتباك.* .*تسليح.* .*جواسيس.* .*جيوش.* .*رشاش.* دمار
.*حصار.* .*اضطهاد.* .*استشهاد.* .*استشهد.* .*تجنيد.* جند .*جنرال.* حرس حراس حراسه .*حارس.* .*تهريب.* .*تفتيش.*
.*اجتياح.* سرايا الويه .*رتبه.* رتب اسري .*اسير.* ثوري ثوريه .*تحرير.* .*تمرد.* .*رعب.* .*عتقل.* .*جثمان.* .*شرطي.*
رقيب .*سكين.* .*رشوه.* .*حبس.* .*زنزانه.* حشد .*مجازر.* .*مجزره.* .*مجرم.* .*مدرعه.* .*مسدس.* .*مسلح.* مشاه
.*مقاتل.* .*قناص.* .*قذاي?ف.* .*قذيفه.* .*كتايب.* .*فيلق.* .*فصايل.* .*فصيل.* .*عقيد.* .*ملازم.* .*نقيب.* عريف
.*مداهمه.* .*حارب.* عدو عدوان اعدا عدونا عدوا .*ضحايا.* .*ضحيه.* .*طايفي.* .*مذهب.* .*عرقيه.* .*عنصري.*
.*عبوديه.* .*ملعون.* .*عذاب.* .*يعذب.* .*عوره.* .*قضيب.* .*شهوه.* .*محارم.* .*مدمن.* .*ادمان.* .*مافيا.*
.*عصابه.* .*لصوص.* .*مشتبه.* .*متهم.* .*مذنب.* .*ادانه.* .*محاكمه.* .*عقوبه.* .*مباحث.* .*مخبر.* امن امني امنيه
.*صليب.* .*كنايس.* .*مساجد.* صلوات صليت صلوا يصلي يصلون يصلوا تصلي نصلي .*ملايكه.* .*فريضه.* .*فتوي.* .*فتاوي.*
.*مفتي.* .*انجيل.* .*الهه.* الهي عاشورا عباده يعبد عابد عباد .*كاهن.* .*قداس.* .*معبد.* قدس .*مقدس.* .*سبحان.*
اعوذ تبارك كربلا يهوذا جبريل .*خطييه.* .*معصيه.* .*مجازر.* حماس صدام .*اخوان.* .*نووي.* .*موامره.* قمع .*انتهاك.*
هرب يهرب تهرب هروب هارب نهرب .*فرار.* .*يختبي.* .*تسويه.* .*احتياطي.* .*عاري.* .*عاريه.* .*عذرا.* مثلي حريم
.*كذاب.* .*جبان.* .*ابله.* .*مجنون.* .*مجانين.* .*منافق.* .*خبيث.* .*قبيح.* .*ظالم.* .*اخرس.* اعمي عمياء عميا
لعن .*قرد.* حيوان اموات .*مقابر.* .*قبور.* .*ضريح.* هلك .*مصرع.* .*نزيف.* .*نزف.* ينزف تنزف .*مجروح.* جراح جرح
.*جروح.* .*نبيذ.* .*عبوه.* .*دبابه.* .*لغم.* .*الغام.*
.*تافه.* .*وسخ.* .*قذر.* .*زباله.* .*مخدر.* .*حشيش.* .*خمر.* .*كحول.* .*سكران.* .*هيروين.* .*كوكايين.*
"""


def compile_block(text):
    return [re.compile(f"^(?:{p})$") for p in text.split()]


def blocked(patterns, word):
    return next((p.pattern for p in patterns if p.match(word)), None)


# The same folding as mamar-core's codename module (crates/mamar-core/src/codename/wordlist.rs).
FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه",
    "ى": "ي", "ئ": "ي", "ی": "ي",
    "ؤ": "و",
    "ک": "ك",
    "ء": "",
}


def fold_ar(word):
    word = unicodedata.normalize("NFKC", word)
    out = []
    for c in word:
        if "\u064b" <= c <= "\u065f" or c in "\u0670\u0640":
            continue
        out.append(FOLD.get(c, c))
    return "".join(out)


def english():
    words = [line.split("\t")[1].strip() for line in EFF.read_text().splitlines() if line.strip()]
    assert len(words) == 7776, len(words)
    patterns = compile_block(BLOCK_EN)
    kept = []
    for word in words:
        if "-" in word:
            print(f"en: drop {word} (hyphen)", file=sys.stderr)
        elif (p := blocked(patterns, word)) is not None:
            print(f"en: drop {word} ({p})", file=sys.stderr)
        else:
            kept.append(word)
    return kept


def arabic():
    stems = set()
    for line in HUNSPELL_AR.read_text(encoding="utf-8").splitlines():
        if "/" in line:
            stems.add(line.split("/")[0].strip())
    letters = re.compile(r"^[\u0621-\u063A\u0641-\u064A]{3,7}$")
    patterns = compile_block(BLOCK_AR)
    ranked = wordfreq.top_n_list("ar", 200000, wordlist="large")
    frequent = set(ranked[:50000])
    seen = set()
    kept = []
    for word in ranked:
        if len(kept) == ARABIC_SIZE:
            break
        if not letters.match(word) or word not in stems or word.startswith("ال"):
            continue
        folded = fold_ar(word)
        if len(folded) < 3 or folded in seen:
            continue
        # A conjunction or preposition glued to a more common word ("وفي", "بها").
        if word[0] in "وفبلك" and word[1:] in frequent and len(word) > 3:
            continue
        if (p := blocked(patterns, folded)) is not None:
            print(f"ar: drop {word} ({p})", file=sys.stderr)
            continue
        seen.add(folded)
        kept.append(word)
    assert len(kept) == ARABIC_SIZE, len(kept)
    return sorted(kept)


def main():
    en = english()
    (HERE / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    ar = arabic()
    (HERE / "ar.txt").write_text("\n".join(ar) + "\n", encoding="utf-8")
    print(f"en: {len(en)} words, ar: {len(ar)} words")


if __name__ == "__main__":
    main()
