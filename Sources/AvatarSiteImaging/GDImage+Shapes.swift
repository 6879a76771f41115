import CGD
import AvatarSiteContract

/// Antialiased shapes: libgd's own filled ellipse has only two alpha levels, which looks jagged
/// on a placeholder. Each edge pixel here is covered in proportion to how much of it lies inside.
extension GDImage {
    /// Fills the ellipse centred on (`centerX`, `centerY`) with radii `radiusX`, `radiusY`.
    func fillEllipse(centerX: Double, centerY: Double, radiusX: Double, radiusY: Double, color: RGBColor) {
        let top = max(0, Int((centerY - radiusY).rounded(.down)))
        let bottom = min(height - 1, Int((centerY + radiusY).rounded(.up)))
        let left = max(0, Int((centerX - radiusX).rounded(.down)))
        let right = min(width - 1, Int((centerX + radiusX).rounded(.up)))
        guard top <= bottom, left <= right else { return }
        withPointer { pointer in
            for y in top...bottom {
                for x in left...right {
                    let coverage = Self.coverage(x: x, y: y) { px, py in
                        let dx = (px - centerX) / radiusX, dy = (py - centerY) / radiusY
                        return dx * dx + dy * dy <= 1
                    }
                    guard coverage > 0 else { continue }
                    Self.blend(pointer, x: x, y: y, color: color, amount: coverage)
                }
            }
        }
    }

    /// Paints everything outside the inscribed circle with `color`, antialiased at the edge.
    func fillOutsideCircle(color: RGBColor) {
        forEachCircleEdge { pointer, x, y, outside in
            Self.blend(pointer, x: x, y: y, color: color, amount: outside)
        }
    }

    /// Makes everything outside the inscribed circle transparent, antialiased at the edge.
    func clearOutsideCircle() {
        withPointer { pointer in
            gdImageAlphaBlending(pointer, 0)
            gdImageSaveAlpha(pointer, 1)
        }
        forEachCircleEdge { pointer, x, y, outside in
            let pixel = gdImageGetTrueColorPixel(pointer, Int32(x), Int32(y))
            let alpha = Int32((outside * 127).rounded())
            gdImageSetPixel(pointer, Int32(x), Int32(y),
                            cgd_true_color_alpha(pixel >> 16 & 0xFF, pixel >> 8 & 0xFF, pixel & 0xFF, alpha))
        }
    }

    /// Calls `body` for every pixel not wholly inside the inscribed circle, with the share of it
    /// that lies outside.
    private func forEachCircleEdge(_ body: (gdImagePtr, Int, Int, Double) -> Void) {
        let radius = Double(min(width, height)) / 2
        let (centerX, centerY) = (Double(width) / 2, Double(height) / 2)
        withPointer { pointer in
            for y in 0..<height {
                for x in 0..<width {
                    let dx = Double(x) + 0.5 - centerX, dy = Double(y) + 0.5 - centerY
                    // Pixels well inside need nothing: skip them without sampling.
                    if (dx * dx + dy * dy).squareRoot() < radius - 1 { continue }
                    let inside = Self.coverage(x: x, y: y) { px, py in
                        let ex = px - centerX, ey = py - centerY
                        return ex * ex + ey * ey <= radius * radius
                    }
                    if inside < 1 { body(pointer, x, y, 1 - inside) }
                }
            }
        }
    }

    /// The share of pixel (`x`, `y`) for which `isInside` holds, from 4x4 samples.
    private static func coverage(x: Int, y: Int, _ isInside: (Double, Double) -> Bool) -> Double {
        var inside = 0
        for sy in 0..<4 {
            for sx in 0..<4 where isInside(Double(x) + (Double(sx) + 0.5) / 4, Double(y) + (Double(sy) + 0.5) / 4) {
                inside += 1
            }
        }
        return Double(inside) / 16
    }

    private static func blend(_ pointer: gdImagePtr, x: Int, y: Int, color: RGBColor, amount: Double) {
        let pixel = gdImageGetTrueColorPixel(pointer, Int32(x), Int32(y))
        let mix = { (old: Int32, new: UInt8) in Int32((Double(old) * (1 - amount) + Double(new) * amount).rounded()) }
        gdImageSetPixel(pointer, Int32(x), Int32(y),
                        cgd_true_color(mix(pixel >> 16 & 0xFF, color.red), mix(pixel >> 8 & 0xFF, color.green), mix(pixel & 0xFF, color.blue)))
    }
}
