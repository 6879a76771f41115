/// A regular expression (no anchors, no leading zeros) matching exactly the integers of a range,
/// for host configs that can only compare text: nginx's `map` picks a size for Gravatar's `s=`
/// with one such pattern a size.
///
/// The range is split into runs that each read as a fixed prefix, one digit range, then any
/// digits (`1...48` is `[1-9]|[1-3][0-9]|4[0-8]`).
public enum IntegerRangePattern {
    public static func pattern(_ range: ClosedRange<Int>) -> String {
        precondition(range.lowerBound >= 1, "only positive integers are written this way")
        return runs(range).map(samelengthPattern).joined(separator: "|")
    }

    /// Splits `range` at every boundary where a run of nines starts or a run of zeros ends.
    static func runs(_ range: ClosedRange<Int>) -> [ClosedRange<Int>] {
        let (low, high) = (range.lowerBound, range.upperBound)
        var stops: Set<Int> = [high]
        var nines = 1
        var stop = filledWithNines(low, count: nines)
        while low <= stop && stop < high {
            stops.insert(stop)
            nines += 1
            stop = filledWithNines(low, count: nines)
        }
        var zeros = 1
        stop = filledWithZeros(high + 1, count: zeros) - 1
        while low < stop && stop <= high {
            stops.insert(stop)
            zeros += 1
            stop = filledWithZeros(high + 1, count: zeros) - 1
        }
        var runs = [ClosedRange<Int>]()
        var start = low
        for stop in stops.sorted() {
            runs.append(start...stop)
            start = stop + 1
        }
        return runs
    }

    /// `number` with its last `count` digits made nines (all of them past its length).
    private static func filledWithNines(_ number: Int, count: Int) -> Int {
        let digits = String(number)
        let kept = digits.dropLast(count)
        return Int(kept + String(repeating: "9", count: count)) ?? number
    }

    private static func filledWithZeros(_ number: Int, count: Int) -> Int {
        var power = 1
        for _ in 0..<count { power *= 10 }
        return number - number % power
    }

    /// The pattern of a run whose ends have the same number of digits.
    private static func samelengthPattern(_ run: ClosedRange<Int>) -> String {
        var pattern = ""
        var anyDigits = 0
        for (first, last) in zip(String(run.lowerBound), String(run.upperBound)) {
            if first == last {
                pattern.append(first)
            } else if first == "0" && last == "9" {
                anyDigits += 1
            } else {
                pattern += "[\(first)-\(last)]"
            }
        }
        if anyDigits > 0 { pattern += "[0-9]" + (anyDigits > 1 ? "{\(anyDigits)}" : "") }
        return pattern
    }
}
