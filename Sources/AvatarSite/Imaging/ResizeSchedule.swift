import Foundation

/// How the sizes are made from one decoded photo, largest first: each from the smallest image
/// already made (the photo or a larger size, unrounded) that is at least `cascadeRatio` times
/// its side. Filtering the whole photo again for every size costs the photo's area each time;
/// a small size filtered from a larger one costs a fraction of that.
public enum ResizeSchedule {
    static let filter = ResampleWeights.Filter.lanczos(3)
    public static let defaultCascadeRatio = 3.0

    /// Calls `body` with each size (largest first) and its image.
    static func resize(_ square: GDImage, to sizes: [PhotoSize], cascadeRatio: Double = 0,
                       filter: ResampleWeights.Filter = filter,
                       _ body: (PhotoSize, GDImage) throws(ImagingError) -> Void) throws(ImagingError) {
        var made = [Resampler.FloatImage]()
        for size in sizes.sorted(by: >) {
            if size.side == square.width {
                try body(size, square)
                continue
            }
            if made.isEmpty { made.append(Resampler.FloatImage(square)) }
            let source = cascadeRatio < 1 ? made[0] : made.last { Double($0.side) >= Double(size.side) * cascadeRatio } ?? made[0]
            let image = Resampler.resize(source, toSide: size.side, filter: filter)
            made.append(image)
            try body(size, try image.packed())
        }
    }
}
