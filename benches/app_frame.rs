//! Frame CPU time of the full app, headless (egui pass + tessellation, no GPU):
//! a typical case on each view, and typing into a 20,000-word section (spelling on).

#[path = "../tests/support/sample.rs"]
mod sample;

use std::path::Path;

use casebook::app::settings::Settings;
use casebook::app::{CasebookApp, Startup, View};
use casebook::ui::Focus;
use criterion::{Criterion, criterion_group, criterion_main};

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    }
}

fn frame(ctx: &egui::Context, app: &mut CasebookApp, events: Vec<egui::Event>) {
    let mut out = ctx.run_ui(input(events), |ui| app.frame_ui(ui));
    // No renderer takes the textures (debug builds assert that someone did).
    out.textures_delta.clear();
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    std::hint::black_box(prims);
}

fn open(ctx: &egui::Context, case: &Path, data: &Path) -> CasebookApp {
    let startup = Startup {
        path: Some(case.to_path_buf()),
        data_dir: Some(data.to_path_buf()),
        templates_dir: None,
        settings: Some(Settings::default()),
    };
    let mut app = CasebookApp::with_context(ctx, Settings::default(), startup);
    app.wait_for_geometry();
    app.workspace.wait();
    for _ in 0..3 {
        frame(ctx, &mut app, Vec::new());
    }
    app
}

fn benches(c: &mut Criterion) {
    let Ok(t) = tempfile::tempdir() else { return };
    let Ok(sample) = sample::copy_sample(&t.path().join("cases")) else {
        return;
    };

    let mut g = c.benchmark_group("frame, typical case (King's Cross sample)");
    for view in View::ALL {
        let ctx = egui::Context::default();
        let mut app = open(&ctx, &sample, &t.path().join("data"));
        app.view = view;
        for _ in 0..3 {
            frame(&ctx, &mut app, Vec::new());
        }
        g.bench_function(view.label(), |b| {
            b.iter(|| frame(&ctx, &mut app, Vec::new()))
        });
    }
    g.finish();

    // A case whose Overview has 20,000 words.
    let big = t.path().join("cases/gbr-big-section");
    let _ = std::fs::create_dir_all(&big);
    let words: Vec<&str> =
        "the district links new homes offices and a park along the canal with shared streets"
            .split(' ')
            .collect();
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(words[i % words.len()]);
        text.push(if i % 120 == 119 { '\n' } else { ' ' });
        if i % 600 == 599 {
            text.push('\n');
        }
    }
    let index = format!(
        "---\ntitle: Big section\nstatus: Draft\ntemplate: case-study\n---\n\n## Overview\n\n{text}\n\n## Goals and Aspirations\n\nShort.\n"
    );
    let _ = std::fs::write(big.join("index.md"), index);
    let ctx = egui::Context::default();
    let mut app = open(&ctx, &big, &t.path().join("data"));
    app.view = View::Sections;
    app.focus(Focus::Section(0));
    for _ in 0..4 {
        frame(&ctx, &mut app, Vec::new());
    }
    // Spelling is on: wait for the word lists (loaded on a thread) so typing is measured with
    // the underlines and the incremental re-check.
    for _ in 0..1000 {
        if casebook::ui::spelling::Spelling::ready(&ctx) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        frame(&ctx, &mut app, Vec::new());
    }
    frame(&ctx, &mut app, Vec::new());
    // Put the cursor at the end of the text once.
    frame(
        &ctx,
        &mut app,
        vec![egui::Event::Key {
            key: egui::Key::End,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::CTRL | egui::Modifiers::COMMAND,
        }],
    );
    let mut n = 0usize;
    c.bench_function("frame while typing in a 20,000-word section", |b| {
        b.iter(|| {
            n += 1;
            let ch = if n.is_multiple_of(6) { " " } else { "a" };
            frame(&ctx, &mut app, vec![egui::Event::Text(ch.to_string())]);
        })
    });
    let typed = app
        .editor
        .as_ref()
        .and_then(|e| e.case.doc().section_text(0))
        .map(|s| s.len())
        .unwrap_or(0);
    eprintln!("section length after typing: {typed} bytes (typing reached the document)");
    eprintln!(
        "words underlined after typing: {} (the typed ones are not words)",
        app.sections.flagged(0).len()
    );
    // The frame after a pause in typing, when the checks (spelling of the whole case among
    // them) run again on the UI thread: a few samples, printed (too slow for criterion).
    let mut pause_frames = Vec::new();
    for _ in 0..8 {
        frame(&ctx, &mut app, vec![egui::Event::Text("b".to_string())]);
        std::thread::sleep(
            casebook_core::session::CHECK_DEBOUNCE + std::time::Duration::from_millis(20),
        );
        let start = std::time::Instant::now();
        frame(&ctx, &mut app, Vec::new());
        pause_frames.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    pause_frames.sort_by(f64::total_cmp);
    eprintln!(
        "frame that re-runs the checks after a pause in typing: median {:.1} ms, max {:.1} ms",
        pause_frames[pause_frames.len() / 2],
        pause_frames[pause_frames.len() - 1]
    );
}

criterion_group! {
    name = app_frame;
    config = Criterion::default().sample_size(40).measurement_time(std::time::Duration::from_secs(5));
    targets = benches
}
criterion_main!(app_frame);
