import Foundation
import AvatarSiteContract

extension ResizeSchedule {
    /// Calls `body` with each size (largest first) and its planes, made as the RGB schedule
    /// makes them: each from the smallest image already made that is at least `cascadeRatio`
    /// times its side. A size no smaller size is made from is freed once `body` returns, unless
    /// `keepingEvery` (for timing the encodes apart).
    static func resize(_ square: PlanarImage, to sizes: [PhotoSize], cascadeRatio: Double = defaultCascadeRatio,
                       filter: ResampleWeights.Filter = filter, keepingEvery: Bool = false,
                       _ body: (PhotoSize, PlanarImage) throws(ImagingError) -> Void) throws(ImagingError) {
        var made = [square.side: square]
        for step in plan(photo: square.side, sizes: sizes, cascadeRatio: cascadeRatio) {
            guard step.size.side != square.side else {
                try body(step.size, square)
                continue
            }
            guard let source = made[step.source] else { continue }
            if step.isSource || keepingEvery {
                let image = try source.resized(toSide: step.size.side, filter: filter)
                if step.isSource { made[step.size.side] = image }
                try body(step.size, image)
            } else {
                try ScratchMemory.released { () throws(ImagingError) in
                    try body(step.size, try source.resized(toSide: step.size.side, filter: filter))
                }
            }
        }
    }
}
