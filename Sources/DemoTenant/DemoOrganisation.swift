/// The demo directory's reporting lines: a chief executive, a head for each department under
/// them, and below each head a tree of directors, managers and their teams, every team in its
/// manager's department. The same users and seed give the same organisation.
enum DemoOrganisation {
    static let executiveDepartment = "Executive"

    /// What people are called who manage no one, by department.
    static let contributorTitles: [String: [String]] = [
        "Engineering": ["Software Engineer", "Senior Software Engineer", "Site Reliability Engineer", "QA Engineer"],
        "Design": ["Product Designer", "UX Researcher", "Visual Designer"],
        "Finance": ["Accountant", "Financial Analyst", "Controller"],
        "Sales": ["Account Executive", "Sales Lead", "Sales Engineer"],
        "Research": ["Researcher", "Data Analyst", "Research Scientist"],
        "Support": ["Support Specialist", "Customer Success Manager"],
        "People": ["Recruiter", "HR Business Partner"],
        "Legal": ["Counsel", "Paralegal"],
    ]

    /// Sets `manager`, `department` and `jobTitle` of `users` (the first is the chief executive;
    /// whoever has a manager has one earlier in the list). Names, offices and photos are left
    /// as they are.
    static func organise(_ users: inout [DemoUser], seed: UInt64) {
        guard !users.isEmpty else { return }
        var random = SplitMix64(seed: seed ^ 0x0C4A_27ED)
        let departments = DemoNames.departments
        var depth = [Int](repeating: 0, count: users.count)
        var reports = [Int](repeating: 0, count: users.count)
        users[0].manager = nil
        users[0].fields["department"] = executiveDepartment
        // The organisation is led by someone who can sign in.
        users[0].accountEnabled = true
        // Breadth first: the chief executive takes one head per department, every other
        // manager a team of three to ten.
        var queue = [0]
        var head = 0
        var next = 1
        while next < users.count, head < queue.count {
            let manager = queue[head]
            head += 1
            let teamSize = manager == 0 ? departments.count : 3 + random.below(8)
            for position in 0..<teamSize where next < users.count {
                users[next].manager = users[manager].id
                users[next].fields["department"] = manager == 0 ? departments[position] : users[manager].fields["department"]
                depth[next] = depth[manager] + 1
                reports[manager] += 1
                queue.append(next)
                next += 1
            }
        }
        for index in users.indices {
            let department = users[index].fields["department"] ?? executiveDepartment
            let title: String
            switch (depth[index], reports[index] > 0) {
            case (0, _): title = "Chief Executive Officer"
            case (1, _): title = "Vice President, \(department)"
            case (2, true): title = "Director, \(department)"
            case (3, true): title = "Manager, \(department)"
            case (_, true): title = "Team Lead, \(department)"
            case (_, false):
                let titles = contributorTitles[department] ?? ["Specialist"]
                title = titles[random.below(titles.count)]
            }
            users[index].fields["jobTitle"] = title
        }
    }
}
