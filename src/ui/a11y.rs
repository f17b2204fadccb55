//! Accessibility fixes applied to what egui sends to screen readers.
//!
//! egui gives its scroll bars a role but no name; [`NamesPlugin`] names each one after its
//! orientation ("Vertical scroll bar") in the accessibility tree of every frame, so that every
//! control a screen reader can reach has a role and a name.

use egui::accesskit::Role;

/// Names egui's unnamed scroll bars in the accessibility tree.
pub struct NamesPlugin;

impl egui::Plugin for NamesPlugin {
    fn debug_name(&self) -> &'static str {
        "casebook-accessible-names"
    }

    fn output_hook(&mut self, _ctx: &egui::Context, output: &mut egui::FullOutput) {
        let Some(update) = output.platform_output.accesskit_update.as_mut() else {
            return;
        };
        for (_, node) in &mut update.nodes {
            if node.role() == Role::ScrollBar && node.label().is_none_or(str::is_empty) {
                let vertical = node.bounds().is_none_or(|b| b.height() >= b.width());
                node.set_label(if vertical {
                    "Vertical scroll bar"
                } else {
                    "Horizontal scroll bar"
                });
            }
        }
    }
}
