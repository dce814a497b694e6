//! The ratings chart of the summary email: per duty and for the behaviours, how many questions
//! are rated Yes / Some / No, as stacked bars in a small PNG (drawn with plotters, labelled with
//! an embedded ASCII subset of DejaVu Sans). The email gives the same in words as its alt text.

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::core::summary::Glance;

/// The embedded font (see `data/fonts/README.md`).
const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans-ascii.ttf");

const WIDTH: u32 = 600;
const ROW: u32 = 24;
const TOP: u32 = 34;
const LEFT: i32 = 96;
/// A bar's height, leaving a gap to the next row.
const BAR: i32 = 18;

/// Yes, Some, No, unanswered: the summary's colours.
const COLOURS: [RGBColor; 4] = [
    RGBColor(0x1b, 0x6e, 0x20),
    RGBColor(0xd9, 0x9a, 0x00),
    RGBColor(0xa3, 0x15, 0x15),
    RGBColor(0xbb, 0xbb, 0xbb),
];

/// The chart as PNG bytes; None if it cannot be drawn (the email then goes without it).
pub fn png(rows: &[Glance]) -> Option<Vec<u8>> {
    if rows.is_empty() {
        return None;
    }
    // Registering twice is harmless; a bad font only loses the chart.
    register_font("sans-serif", FontStyle::Normal, FONT).ok()?;
    let height = TOP + ROW * u32::try_from(rows.len()).ok()? + 8;
    let mut pixels = vec![0u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let text = ("sans-serif", 14).into_font().color(&BLACK);
        // The legend.
        let mut x = LEFT;
        for (label, colour) in ["Yes", "Some", "No"].iter().zip(COLOURS) {
            root.draw(&Rectangle::new([(x, 8), (x + 14, 22)], colour.filled()))
                .ok()?;
            root.draw(&Text::new(*label, (x + 18, 8), text.clone()))
                .ok()?;
            x += 80;
        }
        // Each bar is the row's questions as shares (a duty has two, the behaviours five), so
        // the bars compare at a glance.
        let span = f64::from(WIDTH) - f64::from(LEFT) - 12.0;
        for (i, g) in rows.iter().enumerate() {
            let y = i32::try_from(TOP + ROW * u32::try_from(i).ok()?).ok()?;
            root.draw(&Text::new(g.label.as_str(), (6, y + 3), text.clone()))
                .ok()?;
            let total = g.counts.iter().sum::<usize>().max(1) as f64;
            let mut done = 0usize;
            for (n, colour) in g.counts.iter().zip(COLOURS) {
                if *n == 0 {
                    continue;
                }
                // Ends rounded from the running total, so the segments fill the bar exactly.
                let start = (span * done as f64 / total).round() as i32;
                done += n;
                let end = (span * done as f64 / total).round() as i32;
                let (x0, x1) = (LEFT + start, LEFT + end - 1);
                root.draw(&Rectangle::new([(x0, y), (x1, y + BAR)], colour.filled()))
                    .ok()?;
            }
        }
        root.present().ok()?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(&pixels, WIDTH, height, image::ColorType::Rgb8)
    .ok()?;
    Some(out)
}

use image::ImageEncoder as _;
