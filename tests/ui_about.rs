//! Help › About (issue 15): opened from the menu by its label, it names the version, the
//! licence and every bundled data source with its licence and attribution.

mod common;

use casebook::core::about::{self, DATA_SOURCES};
use common::*;
use egui::Key;
use egui_kittest::kittest::Queryable;

fn open_about(h: &mut egui_kittest::Harness<'static, casebook::app::CasebookApp>) {
    h.get_by_label("Help").click();
    h.run_steps(2);
    h.get_by_label("About Casebook…").click();
    h.run_steps(3);
}

#[test]
fn about_lists_the_version_the_licence_and_every_data_source() {
    let t = tmp();
    let mut h = app(None, &t.path().join("data"));
    assert!(h.query_by_label("About Casebook").is_none());
    open_about(&mut h);

    assert!(
        h.query_by_label("About Casebook").is_some(),
        "the dialog's heading"
    );
    let version = format!("Casebook {}", env!("CARGO_PKG_VERSION"));
    assert!(h.query_by_label(&version).is_some(), "{version}");
    let licence = format!("Licence: {}", about::LICENSE);
    assert!(h.query_by_label(&licence).is_some(), "{licence}");
    assert!(h.query_by_label_contains(about::APP_ID).is_some());
    assert!(DATA_SOURCES.len() >= 8);
    for source in DATA_SOURCES {
        assert!(
            h.query_by_label(source.name).is_some(),
            "{} shown",
            source.name
        );
        let licence = format!("Licence: {}", source.license);
        assert!(
            h.query_all_by_label(&licence).next().is_some(),
            "{licence} shown for {}",
            source.name
        );
        assert!(
            h.query_by_label(source.attribution).is_some(),
            "the attribution of {} shown",
            source.name
        );
        assert!(
            h.query_all_by_label(source.url).next().is_some(),
            "the address of {} shown",
            source.name
        );
    }
    // The gazetteer's credit, in the words its licence asks for.
    assert!(
        h.query_by_label_contains("© GeoNames (geonames.org), licensed under CC BY 4.0")
            .is_some()
    );

    // Escape closes it; so does its Close button.
    key(&mut h, egui::Modifiers::NONE, Key::Escape);
    assert!(!h.state().dialogs.is_open());
    assert!(h.query_by_label("About Casebook").is_none());
    open_about(&mut h);
    assert!(h.state().dialogs.is_open());
    // It sits still and whole in the 800-point-high window (the list scrolls inside it).
    let close = h.get_by_label("Close").rect();
    h.run_steps(3);
    assert_eq!(
        h.get_by_label("Close").rect(),
        close,
        "the dialog does not grow"
    );
    assert!(close.bottom() <= 800.0, "{close:?}");
    h.get_by_label("Close").click();
    h.run_steps(2);
    assert!(!h.state().dialogs.is_open());
}
