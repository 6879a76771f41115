import Foundation

/// The order in which sizes are made from one decoded photo. libgd's area-averaging resampler
/// costs in proportion to the *source* area, so making all nine sizes from the 648 px photo
/// pays for 648² pixels eight times; here each size is made from the smallest image already made
/// that is still at least `gap` times its side, and only the large sizes read the photo itself.
public enum ResizeSchedule {
    /// How much larger than a size its source must be; below 2 the repeated resampling starts
    /// to soften the small sizes (measured by scripts/resize-quality.py).
    public static let gap = 2.0

    /// Calls `body` with each size (largest first) and its image.
    static func resize(_ square: GDImage, to sizes: [PhotoSize], gap: Double = gap,
                       _ body: (PhotoSize, GDImage) throws(ImagingError) -> Void) throws(ImagingError) {
        var made = [GDImage]()
        for size in sizes.sorted(by: >) {
            // Only images no larger than the photo are sources: an upscaled one holds no more detail.
            let source = made.last { $0.width <= square.width && Double($0.width) >= Double(size.side) * gap } ?? square
            let image = try source.resized(toSide: size.side)
            made.append(image)
            try body(size, image)
        }
    }
}
