//! Map tiles in tests: the tile source of a test server on 127.0.0.1.

#![allow(dead_code)]

use casebook::ui::map::TileSourceSpec;

/// A tile source served by a test server on 127.0.0.1:`port`.
pub fn spec_for(port: u16) -> TileSourceSpec {
    TileSourceSpec {
        name: "test-server".into(),
        url_template: format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
        subdomains: Vec::new(),
        attribution: "Test tiles",
        attribution_url: "",
        max_zoom: 19,
    }
}
