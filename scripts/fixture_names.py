"""Names for the fake people of scripts/directory_fixture.py, in many scripts, each with the
romanisation its mail address is made from."""

from directory_data import fold

# Per culture: given names, family names, and how a full name is written. Names outside Latin
# script come with the romanisation a mail address would use.
CULTURES = {
    "en": (30, "{given} {family}",
           "Oliver Emma Liam Ava Noah Sophia Jack Grace Henry Chloe James Isla William Olivia Thomas Amelia "
           "George Mia Harry Emily Charlie Ella Oscar Lily Leo Freya Alfie Poppy Archie Ruby Daniel Evie "
           "Samuel Hannah Joshua Sarah Benjamin Lucy Matthew Megan",
           "Smith Walker Hughes Clarke Taylor Brown Wilson O'Brien Johnson Jones Williams Davies Evans Thomas "
           "Roberts Wright Robinson Thompson White Edwards Green Hall Wood Harris Lewis Martin Jackson Clark "
           "Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen "
           "Mitchell Bell Kelly Parker Cook Bailey Collins Murphy Stewart Richardson Cox Howard Gray Ross "
           "McAllister Fitzgerald"),
    "es": (10, "{given} {family}",
           "José María Lucía Álvaro Inés Sofía Jesús Begoña Íñigo Ramón Martín Paula Hugo Valentina Mateo "
           "Carmen Andrés Elena Sebastián Julia",
           "García Núñez Ibáñez Martínez Peña Gómez Rodríguez Muñoz Fernández López Sánchez Pérez Díaz "
           "Hernández Jiménez Ruiz Álvarez Romero Navarro Torres Domínguez Vázquez Ramos Castaño"),
    "de": (7, "{given} {family}",
           "Jürgen Björn Jörg Käthe Günther Lena Maximilian Sören Anna Lukas Jonas Mia Felix Hannah Paul",
           "Müller Schäfer Größe Weiß Köhler Bäcker Schröder Schmidt Schneider Fischer Meyer Wagner Becker "
           "Hoffmann Schulz Krüger Hartmann Lange Werner Jäger"),
    "fr": (6, "{given} {family}",
           "François Zoë Hélène Loïc Amélie Gaëlle Jérôme Renée Noël Camille Léa Théo Chloé Mathis Élodie",
           "Lefèvre Dubois Girard Bérénger Château Mercier Moreau Laurent Lefebvre Roux Fournier Lambert "
           "Bonnet Dupont Rousseau"),
    "pl": (5, "{given} {family}",
           "Łukasz Małgorzata Paweł Zofia Wojciech Agnieszka Michał Żaneta Katarzyna Piotr Krzysztof Joanna",
           "Wróbel Żółć Kowalczyk Wiśniewska Dąbrowski Łukasiewicz Nowak Kowalski Wójcik Kamiński Lewandowski "
           "Zieliński Szymański Woźniak Kozłowski"),
    "nordic": (3, "{given} {family}",
               "Åsa Søren Bjørn Ævar Sigríður Þór Eiður Märta Ingrid Linnéa",
               "Ångström Nørgaard Ødegård Jónsdóttir Þórsson Lindqvist Sjöberg Håkansson Bråten Dahl"),
    "tr": (3, "{given} {family}", "Çağla Işıl Gökhan Şule Ömer İlker Elif Barış",
           "Yıldız Öztürk Çelik Şahin Doğan Kılıç Aydın Özdemir"),
    "vi": (2, "{family} {given}", "Hương Đức Thảo Quỳnh Phương Minh Lan Tuấn", "Nguyễn Trần Lê Phạm Hoàng Vũ"),
    "in": (10, "{given} {family}",
           "Priya Aarav Ananya Rohan Diya Vihaan Aditya Kavya Arjun Ishaan Saanvi Riya Vivaan Meera Siddharth",
           "Patel Reddy Iyer Sharma Gupta Nair Menon Rao Singh Kumar Joshi Desai Mehta Banerjee Pillai"),
    "el": (2, "{given} {family}", "Γιώργος:giorgos Ελένη:eleni Δημήτρης:dimitris Κατερίνα:katerina Νίκος:nikos",
           "Παπαδόπουλος:papadopoulos Νικολάου:nikolaou Γεωργίου:georgiou Οικονόμου:oikonomou"),
    "ru": (4, "{given} {family}",
           "Алексей:aleksei Мария:maria Иван:ivan Екатерина:ekaterina Дмитрий:dmitrii Ольга:olga Сергей:sergei",
           "Смирнов:smirnov Иванов:ivanov Кузнецов:kuznetsov Попов:popov Соколов:sokolov Волков:volkov"),
    "zh": (8, "{family}{given}",
           "伟:wei 娜:na 敏:min 洋:yang 静:jing 磊:lei 芳:fang 军:jun 勇:yong 艳:yan 杰:jie 涛:tao 明:ming "
           "超:chao 秀英:xiuying 志强:zhiqiang 丽娟:lijuan 建华:jianhua",
           "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun"),
    "ja": (4, "{family} {given}",
           "翔:sho 結衣:yui 陽菜:hina 蓮:ren 大翔:hiroto 美咲:misaki 健太:kenta 花子:hanako 悠真:yuma",
           "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 渡辺:watanabe 伊藤:ito 山本:yamamoto "
           "中村:nakamura 小林:kobayashi 加藤:kato"),
    "ko": (3, "{family}{given}",
           "민준:minjun 서연:seoyeon 지호:jiho 하은:haeun 도윤:doyun 서윤:seoyun 예준:yejun 지우:jiwoo",
           "김:kim 이:lee 박:park 정:jung 최:choi 강:kang 조:cho 윤:yoon"),
    "ar": (3, "{given} {family}",
           "محمد:mohammed فاطمة:fatima أحمد:ahmed مريم:maryam علي:ali نور:nour يوسف:youssef ليلى:layla",
           "العلي:alali حسن:hassan الخطيب:alkhatib الزهراء:alzahra الحسيني:alhusseini المصري:almasri"),
    "he": (2, "{given} {family}", "דוד:david שרה:sarah יונתן:yonatan משה:moshe רחל:rachel נועה:noa",
           "כהן:cohen לוי:levi מזרחי:mizrahi פרץ:peretz ביטון:biton אברהם:avraham"),
    "hi": (1, "{given} {family}", "प्रिया:priya अर्जुन:arjun अनन्या:ananya राहुल:rahul",
           "शर्मा:sharma वर्मा:verma गुप्ता:gupta सिंह:singh"),
    "th": (1, "{given} {family}", "สมชาย:somchai สมหญิง:somying อนันต์:anan", "ใจดี:jaidee ศรีสุข:srisuk"),
}


def _names(words):
    """'Γιώργος:giorgos José' -> [('Γιώργος', 'giorgos'), ('José', 'jose')]."""
    pairs = []
    for word in words.split():
        native, _, roman = word.partition(":")
        pairs.append((native, roman or ".".join(fold(native).split())))
    return pairs


# Compound family names, so a large directory has about as many distinct names as a real one.
COMPOUND_FAMILIES = {
    "en": ("Ash Brad Crow Fair Hol Lang Mar Red Stan Whit Black Rad Brom Cal Dun Els Hart Kent Ox Wen",
           "ford ley ton wood field by well more ham worth brook dale wick bury stead"),
    "de": ("Berg Stein Ro Wald Lin Ho Sonn Eich Feld Kirch Bach Hagen Alt Brand Grün",
           "mann er berg hoff feld hauser bach eder inger meier"),
    "nordic": ("Berg Lind Sjö Ek Holm Strand Dal Ny Ås Fors", "ström qvist gren berg lund dahl sson stedt"),
    "es": ("Villa Monte Valde Castel Mira Torre Fuente Riba", "nueva verde blanco flores alta mar sol real"),
}


def _family_names(culture, family):
    if culture not in COMPOUND_FAMILIES:
        return family
    heads, tails = (words.split() for words in COMPOUND_FAMILIES[culture])
    return family + " " + " ".join(head + tail for head in heads for tail in tails)


NAME_CULTURES = [(weight, pattern, _names(given), _names(_family_names(culture, family)))
                 for culture, (weight, pattern, given, family) in CULTURES.items()]
LATIN_GIVEN = [native for key in ("en", "es", "de", "fr", "pl", "nordic", "tr", "in")
               for native, _ in _names(CULTURES[key][2])]
LATIN_FAMILY = [native for key in ("en", "es", "de", "fr", "pl", "nordic", "tr", "in")
                for native, _ in _names(CULTURES[key][3])]
