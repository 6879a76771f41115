import Foundation

/// How the sizes are made from one decoded photo: every size straight from the photo with
/// Lanczos 3, as Pillow's LANCZOS does. Measured with scripts/resize-quality.py, a box reduction
/// first (Pillow's `reducing_gap`) cost as much here and lost up to 7 dB at 48 px, and making
/// small sizes from larger ones already made lost up to 2 dB; filtering the photo once per size
/// is the fastest way that keeps Pillow's quality.
public enum ResizeSchedule {
    static let filter = Resampler.Filter.lanczos(3)

    /// Calls `body` with each size (largest first) and its image.
    static func resize(_ square: GDImage, to sizes: [PhotoSize], filter: Resampler.Filter = filter,
                       _ body: (PhotoSize, GDImage) throws(ImagingError) -> Void) throws(ImagingError) {
        var photo: Resampler.FloatImage?
        for size in sizes.sorted(by: >) {
            if size.side == square.width {
                try body(size, square)
                continue
            }
            let source = photo ?? Resampler.FloatImage(square)
            photo = source
            try body(size, try Resampler.resize(source, toSide: size.side, filter: filter))
        }
    }
}
