//! A QR code drawn with Unicode half blocks, two rows of modules per line of
//! text, light on dark as phone cameras expect from a terminal.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

/// `text` as a QR code, ready to print, with the quiet zone scanners need.
pub fn render(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(text.as_bytes())?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}
