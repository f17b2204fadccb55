//! Rendering in tests (wgpu, e.g. lavapipe from `mesa-vulkan-drivers`): a test that needs it
//! is skipped where there is no renderer, unless `CASEBOOK_REQUIRE_RENDERER` is set (CI sets
//! it), which makes that a failure.

#![allow(dead_code)]

use egui_kittest::Harness;

/// What `h` renders, or `None` (saying that `what` is skipped) where there is no renderer.
pub fn render_or_skip<S>(h: &mut Harness<'_, S>, what: &str) -> Option<image::RgbaImage> {
    match h.render() {
        Ok(img) => Some(img),
        Err(e) => {
            assert!(
                std::env::var_os("CASEBOOK_REQUIRE_RENDERER").is_none(),
                "no renderer ({e}); install mesa-vulkan-drivers"
            );
            eprintln!("no renderer here ({e}): {what} skipped; install mesa-vulkan-drivers");
            None
        }
    }
}
