//! The QR code the `fastpass_qr` example draws can be scanned: reading the
//! printed blocks back into modules and decoding them gives the text back.

#[path = "../examples/support/terminal_qr.rs"]
mod terminal_qr;

/// The printed code as a grid of dark modules. The example prints light on
/// dark for a dark terminal: a filled half block is a light module and the
/// background shows through where a module is dark.
fn modules(printed: &str) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    for line in printed.lines() {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in line.chars() {
            // (top is dark, bottom is dark)
            let (t, b) = match c {
                '█' => (false, false),
                '▀' => (false, true),
                '▄' => (true, false),
                _ => (true, true),
            };
            top.push(t);
            bottom.push(b);
        }
        rows.push(top);
        rows.push(bottom);
    }
    rows
}

#[test]
fn the_terminal_qr_code_decodes_to_its_contents() {
    let contents = r#"{"scene":"FASTPASS","qrcodeId":"7c2d9e4b1a0f3e5d6c7b8a90","apiHost":"https://example.genauth.ai","appId":"62eb7ed1f04c1f2a3b4c5d6e"}"#;
    let printed = terminal_qr::render(contents).expect("renders");
    let grid = modules(&printed);
    let height = grid.len();
    let width = grid.first().map(Vec::len).unwrap_or_default();
    // Scale each module up so the detector has room to work.
    let scale = 4;
    let image =
        rqrr::PreparedImage::prepare_from_greyscale(width * scale, height * scale, |x, y| {
            if grid[y / scale][x / scale] { 0 } else { 255 }
        });
    let mut image = image;
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code is found");
    let (_, decoded) = grids[0].decode().expect("decodes");
    assert_eq!(decoded, contents);
}
