//! QR codes of the signing key's fingerprint and of short texts (an
//! `otpauth://` URI), as SVG only. Kept here, not in `mamar-verify`, so that
//! the stand-alone verifier carries no QR code.

use mamar_crypto::Fingerprint;
use mamar_verify::{CardError, fingerprint_qr_text};

/// The fingerprint QR code as an SVG document (black on white, with the
/// standard quiet zone, medium error correction), to inline in a page.
pub fn fingerprint_qr_svg(fingerprint: &Fingerprint) -> Result<String, CardError> {
    qr_svg(&fingerprint_qr_text(fingerprint))
}

/// Any short text (an `otpauth://` URI, say) as an SVG QR code, black on white.
pub fn qr_svg(text: &str) -> Result<String, CardError> {
    let code =
        qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).map_err(|_| CardError::Qr)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(232, 232)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}
