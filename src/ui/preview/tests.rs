//! Tests of the preview model and view.

use super::*;
use casebook_core::document::Document;

const HOSTILE: &str = "---\ntitle: Hostile\nfeatured_image: https://cdn.example.org/x.jpg\nfeatured_credit_link: javascript:alert(1)\n---\n\n## Overview\n\n<!-- Guidance to hide. -->\n\nText with <script>alert(1)</script> inline and [bad](javascript:alert(1)) and [ok](https://example.org) and [data](data:text/html,x).\n\n<script>\nalert(2)\n</script>\n\n<img src=x onerror=alert(3)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n![remote](https://img.example.org:8080/a.png \"Remote\")\n\n![escape](../secret.png)\n\n![local](./photo.jpg \"Caption\")\n\n- one\n  - nested **bold**\n- two\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";

fn all_runs(blocks: &[Block], out: &mut Vec<Inline>) {
    for b in blocks {
        match b {
            Block::Heading { inlines, .. } | Block::Paragraph(inlines) => {
                out.extend(inlines.iter().cloned())
            }
            Block::List { items, .. } => {
                for i in items {
                    all_runs(i, out);
                }
            }
            Block::Quote(v) => all_runs(v, out),
            Block::Table { head, rows } => {
                for c in head {
                    out.extend(c.iter().cloned());
                }
                for r in rows {
                    for c in r {
                        out.extend(c.iter().cloned());
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn hostile_content_is_inert() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let doc = Document::from_text(HOSTILE);
    let m = build_model(&doc, dir.path());
    // The guidance comment is gone.
    let debug = format!("{m:?}");
    assert!(!debug.contains("Guidance to hide"), "{debug}");
    // Raw HTML stays as text blocks, never anything else.
    let html: Vec<&str> = m
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Html(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert!(html.iter().any(|h| h.contains("<script>")));
    assert!(html.iter().any(|h| h.contains("onerror")));
    assert!(html.iter().any(|h| h.contains("<iframe")));
    let mut inl = Vec::new();
    all_runs(&m.blocks, &mut inl);
    assert!(
        inl.iter()
            .any(|i| matches!(i, Inline::Html(h) if h.contains("<script>")))
    );
    let links: Vec<&Link> = inl
        .iter()
        .filter_map(|i| match i {
            Inline::Run(r) => r.link.as_ref(),
            _ => None,
        })
        .collect();
    assert!(links.contains(&&Link::Open("https://example.org".to_string())));
    assert!(
        links
            .iter()
            .any(|l| matches!(l, Link::Inert { url, why } if url.starts_with("javascript:") && why.contains("never")))
    );
    assert!(
        links
            .iter()
            .any(|l| matches!(l, Link::Inert { url, .. } if url.starts_with("data:")))
    );
    assert!(
        !links
            .iter()
            .any(|l| matches!(l, Link::Open(u) if !u.starts_with("https://")))
    );
    // Images: remote named by host, escape refused, local confined.
    let images: Vec<&ImageRef> = inl
        .iter()
        .filter_map(|i| match i {
            Inline::Image(img) => Some(img),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 3);
    assert_eq!(
        images[0].src,
        ImageSrc::Remote {
            host: "img.example.org".into()
        }
    );
    assert_eq!(images[0].title, "Remote");
    assert!(
        matches!(&images[1].src, ImageSrc::Refused(why) if why.contains("out of the case folder"))
    );
    assert_eq!(images[2].src, ImageSrc::Local(dir.path().join("photo.jpg")));
    assert_eq!(images[2].alt, "local");
    // Header: remote featured image, inert credit link.
    assert_eq!(m.header.title.as_deref(), Some("Hostile"));
    assert_eq!(
        m.header.featured.as_ref().map(|f| f.src.clone()),
        Some(ImageSrc::Remote {
            host: "cdn.example.org".into()
        })
    );
    assert!(matches!(m.header.credit_link, Some(Link::Inert { .. })));
    // Structure survives: nested list, quote, table.
    assert!(m.blocks.iter().any(
        |b| matches!(b, Block::List { items, .. } if items.len() == 2
        && items[0].iter().any(|x| matches!(x, Block::List { .. })))
    ));
    assert!(m.blocks.iter().any(|b| matches!(b, Block::Quote(_))));
    assert!(
        m.blocks.iter().any(
            |b| matches!(b, Block::Table { head, rows } if head.len() == 2 && rows.len() == 1)
        )
    );
    Ok(())
}

#[test]
fn links_are_classified() {
    for (url, opens) in [
        ("https://example.org", true),
        ("HTTP://example.org/a", true),
        ("mailto:a@example.org", true),
        ("javascript:alert(1)", false),
        ("JavaScript:alert(1)", false),
        (" javascript:alert(1)", false),
        ("java\nscript:alert(1)", false),
        ("vbscript:x", false),
        ("data:text/html;base64,xx", false),
        ("file:///etc/passwd", false),
        ("./report.pdf", false),
        ("#overview", false),
        ("https://", false),
        ("ftp://example.org", false),
    ] {
        assert_eq!(
            matches!(classify_link(url), Link::Open(_)),
            opens,
            "{url:?}"
        );
    }
}

#[test]
fn deep_nesting_and_odd_input_do_not_panic() {
    let dir = Path::new("/tmp/none");
    let deep = "> ".repeat(500) + "x\n" + &"- ".repeat(300) + "y\n";
    let blocks = parse_markdown(&deep, dir);
    assert!(!blocks.is_empty());
    for t in [
        "",
        "<!--",
        "<!-- a\n\nb -->c",
        "`",
        "![",
        "![a](",
        "| a |\n|-",
        "***",
        "<a href=x>y</a>",
    ] {
        let _ = parse_markdown(t, dir);
    }
    // An unclosed inline comment hides the rest of its paragraph only.
    let b = parse_markdown("a <!-- hidden\nstill --> b\n\nnext", dir);
    let debug = format!("{b:?}");
    assert!(
        !debug.contains("hidden") && !debug.contains("still"),
        "{debug}"
    );
    assert!(debug.contains("next"));
}

/// The current bundled template.
fn bundled_template() -> casebook_core::template::Template {
    casebook_core::template::TemplateSet::bundled()
        .current()
        .clone()
}

/// A 1280×800 harness at `ppp` pixels per point drawing the preview of `case` at `revision`.
fn preview_harness<'a>(
    case: &'a casebook_core::case::Case,
    template: &'a casebook_core::template::Template,
    state: &'a mut PreviewState,
    revision: u64,
    ppp: f32,
) -> egui_kittest::Harness<'a> {
    egui_kittest::Harness::builder()
        .with_max_steps(32)
        .with_pixels_per_point(ppp)
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui(move |ui| {
            let cx = ViewCtx {
                case,
                template,
                diagnostics: &[],
                revision,
                focus: None,
            };
            let _ = preview_ui(ui, state, &cx);
        })
}

#[test]
fn local_images_load_once_and_show_with_their_alt_text() -> Result<(), Box<dyn std::error::Error>> {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir()?;
    image::RgbaImage::from_pixel(4, 3, image::Rgba([200, 40, 40, 255]))
        .save(dir.path().join("photo.png"))?;
    let text = "---\ntitle: Pictures\n---\n\n## Overview\n\n![A red test card](./photo.png \"Caption and credit\")\n";
    let case = casebook_core::case::Case::from_text(dir.path(), text);
    let template = bundled_template();
    let mut state = PreviewState::default();
    let mut harness = preview_harness(&case, &template, &mut state, 7, 1.0);
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label("A red test card").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(harness.query_by_label("A red test card").is_some());
    assert!(harness.query_by_label("Caption and credit").is_some());
    drop(harness);
    assert_eq!(state.images.len(), 1);
    assert!(matches!(
        state.images.values().next().map(|e| &e.slot),
        Some(ImageSlot::Ready(..))
    ));
    Ok(())
}

#[test]
fn preview_draws_without_panic() -> std::io::Result<()> {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir()?;
    let case = casebook_core::case::Case::from_text(dir.path(), HOSTILE);
    let template = bundled_template();
    let mut state = PreviewState::default();
    let mut harness = preview_harness(&case, &template, &mut state, 1, 1.0);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Image from img.example.org")
            .is_some()
    );
    assert!(harness.query_by_label("ok").is_some());
    Ok(())
}

#[test]
fn a_4000_px_photo_is_decoded_at_the_column_width() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    image::RgbImage::from_fn(4000, 3000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 60])
    })
    .save(dir.path().join("big.jpg"))?;
    let text = "---\ntitle: Big\n---\n\n## Overview\n\n![A big photo](./big.jpg)\n";
    let case = casebook_core::case::Case::from_text(dir.path(), text);
    let template = bundled_template();
    for ppp in [1.0f32, 2.0] {
        let mut state = PreviewState::default();
        let mut shown_width = 0.0f32;
        let mut harness = preview_harness(&case, &template, &mut state, 1, ppp);
        for _ in 0..400 {
            harness.step();
            if harness.query_by_label("A big photo").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        use egui_kittest::kittest::Queryable;
        let node = harness.get_by_label("A big photo");
        shown_width = shown_width.max(node.rect().width());
        drop(harness);
        let sizes = state.texture_sizes();
        assert_eq!(sizes.len(), 1, "{sizes:?}");
        let [w, h] = sizes[0];
        assert!(shown_width > 100.0 && shown_width <= tokens::TEXT_COLUMN_MAX);
        assert!(
            w as f32 <= (shown_width * ppp).ceil() + 1.0,
            "texture {w} px for {shown_width} pt at {ppp}"
        );
        assert!(w as f32 >= shown_width * ppp * 0.75, "sharp enough: {w}");
        assert!(
            (h as f32 - w as f32 * 0.75).abs() <= 1.0,
            "aspect kept: {w} x {h}"
        );
    }
    Ok(())
}
