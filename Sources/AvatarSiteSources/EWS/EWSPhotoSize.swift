/// The size codes EWS's `GetUserPhoto` takes: `HR48x48` … `HR648x648`.
enum EWSPhotoSize {
    static let sides = [48, 64, 96, 120, 240, 360, 432, 504, 648]

    /// The smallest code that covers `side` (the largest, 648, above that): EWS answers with the
    /// largest photo it has up to the size asked for, and the site makes every size from it.
    static func code(covering side: Int) -> String {
        let chosen = sides.first { $0 >= side } ?? 648
        return "HR\(chosen)x\(chosen)"
    }
}
