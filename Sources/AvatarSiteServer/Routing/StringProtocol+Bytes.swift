extension StringProtocol {
    /// Byte for byte, as nginx compares; `==` would also take canonically equivalent text
    /// (the Kelvin sign for a `K`) as equal.
    func isExactly(_ literal: String) -> Bool {
        utf8.elementsEqual(literal.utf8)
    }
}
