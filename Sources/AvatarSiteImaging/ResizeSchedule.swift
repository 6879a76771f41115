import Foundation
import AvatarSiteContract

/// How the sizes are made from one decoded photo, largest first: each from the smallest image
/// already made (the photo or a larger size, unrounded) that is at least `cascadeRatio` times
/// its side. Filtering the whole photo again for every size costs the photo's area each time;
/// a small size filtered from a larger one costs a fraction of that.
public enum ResizeSchedule {
    package static let filter = ResampleWeights.Filter.lanczos(3)
    public static let defaultCascadeRatio = 3.0

    /// Calls `body` with each size (largest first) and its image.
    static func resize(_ square: GDImage, to sizes: [PhotoSize], cascadeRatio: Double = defaultCascadeRatio,
                       filter: ResampleWeights.Filter = filter,
                       _ body: (PhotoSize, GDImage) throws(ImagingError) -> Void) throws(ImagingError) {
        let plan = Self.plan(photo: square.width, sizes: sizes, cascadeRatio: cascadeRatio)
        var made = [Int: Resampler.FloatImage]()
        for step in plan {
            guard step.size.side != square.width else {
                try body(step.size, square)
                continue
            }
            if made[square.width] == nil { made[square.width] = Resampler.FloatImage(square) }
            guard let source = made[step.source] else { continue }
            let (image, floats) = try Resampler.resize(source, toSide: step.size.side, filter: filter,
                                                       keepingFloats: step.isSource)
            if let floats { made[step.size.side] = floats }
            try body(step.size, image)
        }
    }

    struct Step: Equatable {
        var size: PhotoSize
        /// The side of the image it is made from: the photo's, or a larger size's.
        var source: Int
        /// Whether a smaller size is made from this one.
        var isSource: Bool
    }

    /// Largest first; each from the smallest earlier image at least `cascadeRatio` times its
    /// side, else from the photo.
    static func plan(photo: Int, sizes: [PhotoSize], cascadeRatio: Double) -> [Step] {
        var steps = [Step]()
        var candidates = [photo]
        for size in Set(sizes).sorted(by: >) {
            let source = cascadeRatio < 1 ? photo
                : candidates.last { Double($0) >= Double(size.side) * cascadeRatio } ?? photo
            if source != photo, let index = steps.firstIndex(where: { $0.size.side == source }) { steps[index].isSource = true }
            steps.append(Step(size: size, source: source, isSource: false))
            if size.side < photo { candidates.append(size.side) }
        }
        return steps
    }
}
