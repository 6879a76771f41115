/// Given names and surnames from the scripts a global directory holds, so that the demo
/// exercises everything a real one does: accents, Cyrillic, Greek, CJK, Hangul, Arabic, Hebrew.
enum DemoNames {
    struct Culture {
        var givenNames: [String]
        var surnames: [String]
        /// How the culture writes a full name.
        var format: Format
        var weight: Int
    }

    enum Format {
        case givenFirst
        case familyFirstNoSpace
        case familyFirstSpaced
    }

    static let cultures: [Culture] = [
        Culture(givenNames: ["Emma", "Oliver", "Ava", "Liam", "Sophia", "Noah", "Grace", "Henry", "Chloe", "Jack"],
                surnames: ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke", "Walker", "Hughes"],
                format: .givenFirst, weight: 20),
        Culture(givenNames: ["José", "María", "Zoë", "François", "Søren", "Åsa", "Łukasz", "Ines", "Renée", "Jürgen"],
                surnames: ["García", "Müller", "Nørgaard", "Ångström", "Dvořák", "Lefèvre", "Öztürk", "Ibáñez"],
                format: .givenFirst, weight: 20),
        Culture(givenNames: ["Алексей", "Мария", "Дмитрий", "Ольга", "Иван", "Екатерина"],
                surnames: ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов"],
                format: .givenFirst, weight: 8),
        Culture(givenNames: ["Γιώργος", "Ελένη", "Νίκος", "Μαρία", "Δημήτρης"],
                surnames: ["Παπαδόπουλος", "Νικολάου", "Γεωργίου", "Οικονόμου"],
                format: .givenFirst, weight: 6),
        Culture(givenNames: ["伟", "芳", "娜", "敏", "静", "磊"],
                surnames: ["王", "李", "张", "刘", "陈", "杨"],
                format: .familyFirstNoSpace, weight: 10),
        Culture(givenNames: ["翔", "陽菜", "蓮", "結衣", "大翔"],
                surnames: ["佐藤", "鈴木", "高橋", "田中", "渡辺"],
                format: .familyFirstSpaced, weight: 8),
        Culture(givenNames: ["민준", "서연", "지호", "하은", "도윤"],
                surnames: ["김", "이", "박", "최", "정"],
                format: .familyFirstNoSpace, weight: 8),
        Culture(givenNames: ["محمد", "فاطمة", "أحمد", "مريم", "علي"],
                surnames: ["العلي", "حسن", "الخطيب", "منصور"],
                format: .givenFirst, weight: 8),
        Culture(givenNames: ["דוד", "שרה", "יונתן", "נועה", "משה"],
                surnames: ["כהן", "לוי", "מזרחי", "פרץ"],
                format: .givenFirst, weight: 6),
        Culture(givenNames: ["Aarav", "Priya", "Rohan", "Ananya"],
                surnames: ["Sharma", "Patel", "Iyer", "Reddy"],
                format: .givenFirst, weight: 6),
    ]

    static let jobTitles = ["Engineer", "Designer", "Product Manager", "Accountant", "Sales Lead", "Researcher",
                            "Support Specialist", "Director", "Recruiter", "Data Analyst"]
    static let departments = ["Engineering", "Design", "Finance", "Sales", "Research", "Support", "People", "Legal"]
    static let offices = ["London", "Zürich", "São Paulo", "東京", "서울", "Dubai", "Tel Aviv", "Athens", "Kraków", "Bengaluru"]

    static func fullName(given: String, surname: String, format: Format) -> String {
        switch format {
        case .givenFirst: "\(given) \(surname)"
        case .familyFirstNoSpace: "\(surname)\(given)"
        case .familyFirstSpaced: "\(surname) \(given)"
        }
    }
}
