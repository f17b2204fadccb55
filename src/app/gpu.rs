//! How the app asks wgpu for a GPU: the backends it tries and how many frames it queues.
//!
//! Two choices keep memory down without changing what is drawn:
//!
//! - **The primary backends only (Vulkan, Metal, DX12) when one has an adapter.** wgpu's
//!   default instance also starts OpenGL through EGL, which loads the Mesa GL driver and
//!   its state even when Vulkan is the backend chosen: about 10 MB of resident memory under
//!   Xvfb (README, "Peak memory"). OpenGL stays as the fallback for machines with no
//!   primary adapter at all. `WGPU_BACKEND` (wgpu's own variable) still decides when set.
//! - **One frame queued ahead** ([`egui_wgpu::SurfaceConfig::LOW_LATENCY`], which egui
//!   recommends for GUIs with little GPU work): one swapchain image and one frame's
//!   upload buffers fewer, and input shows a frame sooner.

use eframe::egui_wgpu::{self, WgpuSetup, wgpu};

/// The wgpu configuration the app runs with (see the module's documentation).
pub fn configuration() -> egui_wgpu::WgpuConfiguration {
    let mut config = egui_wgpu::WgpuConfiguration {
        surface: egui_wgpu::SurfaceConfig::LOW_LATENCY,
        ..Default::default()
    };
    if let WgpuSetup::CreateNew(create) = &mut config.wgpu_setup {
        create.instance_descriptor.backends = backends(
            wgpu::Backends::from_env(),
            has_primary_adapter,
            create.instance_descriptor.backends,
        );
    }
    config
}

/// The backends to offer wgpu: the user's choice (`WGPU_BACKEND`) when given; otherwise the
/// primary ones when `primary_found` says they have an adapter, else `fallback` (wgpu's
/// default, which includes OpenGL).
pub fn backends(
    from_env: Option<wgpu::Backends>,
    primary_found: impl FnOnce() -> bool,
    fallback: wgpu::Backends,
) -> wgpu::Backends {
    match from_env {
        Some(chosen) => chosen,
        None if primary_found() => wgpu::Backends::PRIMARY,
        None => fallback,
    }
}

/// Whether Vulkan, Metal or DX12 offers any adapter here (a software one counts: under
/// Xvfb that is lavapipe, which the app uses either way). Enumerating adapters loads the
/// drivers wgpu would load anyway; the probe's instance is dropped before eframe makes its
/// own.
fn has_primary_adapter() -> bool {
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
        backends: wgpu::Backends::PRIMARY,
        ..wgpu::InstanceDescriptor::new_without_display_handle()
    });
    !block_on(instance.enumerate_adapters(wgpu::Backends::PRIMARY)).is_empty()
}

/// Runs a future to completion on this thread. wgpu's native futures are ready when first
/// polled; this also waits (yielding) for one that is not.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_choice_wins_and_opengl_is_only_the_fallback() {
        let fallback = wgpu::Backends::PRIMARY | wgpu::Backends::GL;
        let never = || -> bool { panic!("WGPU_BACKEND was given: no probe") };
        assert_eq!(
            backends(Some(wgpu::Backends::GL), never, fallback),
            wgpu::Backends::GL
        );
        assert_eq!(
            backends(None, || true, fallback),
            wgpu::Backends::PRIMARY,
            "a primary adapter: OpenGL is not started"
        );
        assert_eq!(backends(None, || false, fallback), fallback);
    }

    #[test]
    fn the_app_queues_one_frame_ahead() {
        let config = configuration();
        assert_eq!(config.surface.desired_maximum_frame_latency, Some(1));
        let WgpuSetup::CreateNew(create) = &config.wgpu_setup else {
            panic!("the app creates its own wgpu instance");
        };
        assert!(!create.instance_descriptor.backends.is_empty());
    }
}
