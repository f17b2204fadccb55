//! Work off the calling thread, in one shape for every background task: a [`Job`] runs a
//! closure on its own thread, wakes whoever waits for it (the window) when it is done, can be
//! asked to stop, and is polled without blocking. A job whose thread died (a panic in the
//! work) reports [`Poll::Lost`] instead of hanging its waiter.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// A task running on another thread.
pub struct Job<T> {
    rx: Receiver<T>,
    cancel: Arc<AtomicBool>,
}

/// How a [`Job`] stands.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll<T> {
    /// Still running.
    Pending,
    /// Finished with this result (handed over once).
    Done(T),
    /// The thread ended without a result (the work panicked, or the result was taken).
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread; `wake` is called once it has finished (for a window:
    /// request a repaint). `work` gets a flag that turns true when the job is cancelled or
    /// dropped; long work should check it and stop early.
    pub fn spawn(
        wake: impl FnOnce() + Send + 'static,
        work: impl FnOnce(&AtomicBool) -> T + Send + 'static,
    ) -> Job<T> {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        std::thread::spawn(move || {
            let result = work(&flag);
            let _ = tx.send(result);
            wake();
        });
        Job { rx, cancel }
    }
}

impl<T> Job<T> {
    /// The result if the job has finished, without blocking.
    pub fn poll(&self) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(v) => Poll::Done(v),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// Blocks until the job has finished (tests, and before quitting); `None` if it was lost.
    pub fn wait(self) -> Option<T> {
        self.rx.recv().ok()
    }

    /// Asks the work to stop (it sees the flag it was given turn true).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        // Nobody waits for the result any more.
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::{Duration, Instant};

    use super::*;

    fn until<T>(job: &Job<T>) -> Poll<T> {
        let start = Instant::now();
        loop {
            match job.poll() {
                Poll::Pending if start.elapsed() < Duration::from_secs(10) => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                other => return other,
            }
        }
    }

    #[test]
    fn result_and_wake() {
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let job = Job::spawn(
            move || {
                w.fetch_add(1, Ordering::SeqCst);
            },
            |_| 6 * 7,
        );
        assert_eq!(until(&job), Poll::Done(42));
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        // Handed over once.
        assert_eq!(job.poll(), Poll::Lost);
    }

    #[test]
    fn pending_until_done_and_wait_blocks() {
        let (go_tx, go_rx) = channel::<()>();
        let job = Job::spawn(
            || {},
            move |_| {
                let _ = go_rx.recv();
                "done"
            },
        );
        assert_eq!(job.poll(), Poll::Pending);
        let _ = go_tx.send(());
        assert_eq!(job.wait(), Some("done"));
    }

    #[test]
    fn a_panic_in_the_work_is_lost_not_a_hang() {
        let job: Job<u8> = Job::spawn(|| {}, |_| panic!("the work failed"));
        assert_eq!(until(&job), Poll::Lost);
    }

    /// Work that runs until its stop flag is raised (10 s at most); whether it was raised.
    fn wait_for_stop(stop: &AtomicBool) -> bool {
        let start = Instant::now();
        while !stop.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(1));
        }
        stop.load(Ordering::Relaxed)
    }

    #[test]
    fn cancel_and_drop_reach_the_work() {
        let seen = Arc::new(AtomicBool::new(false));
        let s = Arc::clone(&seen);
        let job = Job::spawn(
            || {},
            move |stop: &AtomicBool| {
                let stopped = wait_for_stop(stop);
                s.store(stopped, Ordering::SeqCst);
                stopped
            },
        );
        job.cancel();
        assert_eq!(until(&job), Poll::Done(true));
        assert!(seen.load(Ordering::SeqCst));
        // Dropping a running job raises its flag too.
        let (tx, rx) = channel();
        let job = Job::spawn(
            || {},
            move |stop: &AtomicBool| {
                let _ = tx.send(wait_for_stop(stop));
            },
        );
        drop(job);
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(true));
    }
}
