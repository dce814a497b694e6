//! Requests from outside to stop, delivered as one [`Shutdown`] value into the app's channel.
//!
//! - Unix: SIGHUP (the terminal or SSH connection went away) and SIGTERM (`kill`, a shutdown)
//!   are [`Shutdown::HangUp`]; SIGINT from outside is [`Shutdown::Interrupt`].
//! - Windows: the console's control events. Closing the window is a hang-up, log-off and
//!   shutdown are a termination, Ctrl-C and Ctrl-Break an interrupt. Windows ends the process as
//!   soon as the handler of a close, log-off or shutdown returns, so the [`ConsoleHandler`] waits
//!   (a few seconds at most) until the app says it has saved ([`saved`]).
//!
//! Either way the app's loop gets the request on its channel, saves, and exits.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The code of a hang-up (SIGHUP; on Windows, the console window closed).
pub const HANGUP: i32 = 1;
/// The code of a termination (SIGTERM; on Windows, log-off or shutdown).
pub const TERMINATE: i32 = 15;

/// A request to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    /// Save and quit as if the user had asked (SIGINT from outside, Ctrl-Break).
    Interrupt,
    /// Save now and exit with 128 + the code ([`HANGUP`], [`TERMINATE`]); the terminal may be
    /// gone.
    HangUp(i32),
}

/// Where requests go; returns false when nobody listens any more.
pub type Sink = Box<dyn Fn(Shutdown) -> bool + Send + Sync>;

/// Starts delivering shutdown requests to `sink` for the rest of the process. While `suspended`
/// is set (an external editor has the terminal) interrupts are meant for it and are dropped.
pub fn listen(sink: Sink, suspended: Arc<AtomicBool>) -> io::Result<()> {
    imp::listen(sink, suspended)
}

/// Tells a waiting console handler (Windows) that the app has saved after a [`Shutdown::HangUp`],
/// so the process may end. Nothing to do on Unix.
pub fn saved() {
    imp::saved();
}

/// A console control event (Windows' `CTRL_*_EVENT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleEvent {
    /// Ctrl-C (outside raw mode; in the full screen it arrives as a key).
    CtrlC,
    /// Ctrl-Break.
    CtrlBreak,
    /// The console window is being closed.
    Close,
    /// The user is logging off.
    Logoff,
    /// The system is shutting down.
    Shutdown,
}

impl ConsoleEvent {
    /// The event for a `CTRL_*_EVENT` code, if it is one.
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Self::CtrlC),
            1 => Some(Self::CtrlBreak),
            2 => Some(Self::Close),
            5 => Some(Self::Logoff),
            6 => Some(Self::Shutdown),
            _ => None,
        }
    }

    /// What the app is asked to do.
    pub fn request(self) -> Shutdown {
        match self {
            Self::CtrlC | Self::CtrlBreak => Shutdown::Interrupt,
            Self::Close => Shutdown::HangUp(HANGUP),
            Self::Logoff | Self::Shutdown => Shutdown::HangUp(TERMINATE),
        }
    }
}

/// What the Windows console control handler does, kept apart from the system call so it can be
/// tested anywhere: hand the request to the app, then (for close, log-off and shutdown) wait
/// until the app has saved, because Windows ends the process as soon as the handler returns.
pub struct ConsoleHandler {
    sink: Sink,
    suspended: Arc<AtomicBool>,
    saved: Mutex<bool>,
    wake: Condvar,
    wait: Duration,
}

impl ConsoleHandler {
    /// How long a handler waits for the save: Windows itself ends a console process 5 s after
    /// a close, so this is only a bound for log-off and shutdown.
    pub const WAIT: Duration = Duration::from_secs(10);

    /// A handler delivering to `sink`, waiting at most `wait` for the save.
    pub fn new(sink: Sink, suspended: Arc<AtomicBool>, wait: Duration) -> Self {
        Self {
            sink,
            suspended,
            saved: Mutex::new(false),
            wake: Condvar::new(),
            wait,
        }
    }

    /// Handles one event; true when handled (the value the system call returns). False when
    /// nobody listens any more: Windows then does what it does by default (ends the process).
    pub fn handle(&self, event: ConsoleEvent) -> bool {
        let request = event.request();
        if request == Shutdown::Interrupt && self.suspended.load(Ordering::SeqCst) {
            return true;
        }
        if !(self.sink)(request) {
            return false;
        }
        if request == Shutdown::Interrupt {
            return true;
        }
        let Ok(saved) = self.saved.lock() else {
            return true;
        };
        let _ = self
            .wake
            .wait_timeout_while(saved, self.wait, |saved| !*saved);
        true
    }

    /// The app has saved: a waiting [`handle`](Self::handle) returns.
    pub fn saved(&self) {
        if let Ok(mut saved) = self.saved.lock() {
            *saved = true;
        }
        self.wake.notify_all();
    }
}

#[cfg(unix)]
mod imp {
    use super::{Shutdown, Sink};
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;
    use std::io;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    const _: () = assert!(SIGHUP == super::HANGUP && SIGTERM == super::TERMINATE);

    pub fn listen(sink: Sink, suspended: Arc<AtomicBool>) -> io::Result<()> {
        let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT])?;
        std::thread::spawn(move || {
            for sig in signals.forever() {
                // Ctrl-C inside an external editor reaches us too: it was meant for the editor.
                if sig == SIGINT && suspended.load(Ordering::SeqCst) {
                    continue;
                }
                let request = if sig == SIGINT {
                    Shutdown::Interrupt
                } else {
                    Shutdown::HangUp(sig)
                };
                if !sink(request) {
                    return;
                }
            }
        });
        Ok(())
    }

    pub fn saved() {}
}

#[cfg(windows)]
mod imp {
    use super::{ConsoleEvent, ConsoleHandler, Sink};
    use std::io;
    use std::sync::atomic::AtomicBool;
    use std::sync::{Arc, Mutex, Once};
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;

    /// The handler the system calls (the latest app's; one per process at a time).
    static CURRENT: Mutex<Option<Arc<ConsoleHandler>>> = Mutex::new(None);
    static REGISTER: Once = Once::new();

    fn current() -> Option<Arc<ConsoleHandler>> {
        CURRENT.lock().ok().and_then(|h| h.clone())
    }

    /// Called by Windows on its own thread for each console control event.
    extern "system" fn on_console_event(code: u32) -> windows_sys::core::BOOL {
        let handled = match (ConsoleEvent::from_code(code), current()) {
            (Some(event), Some(handler)) => handler.handle(event),
            _ => false,
        };
        i32::from(handled)
    }

    pub fn listen(sink: Sink, suspended: Arc<AtomicBool>) -> io::Result<()> {
        let handler = ConsoleHandler::new(sink, suspended, ConsoleHandler::WAIT);
        if let Ok(mut slot) = CURRENT.lock() {
            *slot = Some(Arc::new(handler));
        }
        let mut result = Ok(());
        REGISTER.call_once(|| {
            // SAFETY: registers a function that lives for the whole program; it touches only
            // the Mutex above and never unwinds across the call (a panic aborts).
            #[allow(unsafe_code)]
            let ok = unsafe { SetConsoleCtrlHandler(Some(on_console_event), 1) };
            if ok == 0 {
                result = Err(io::Error::last_os_error());
            }
        });
        result
    }

    pub fn saved() {
        if let Some(handler) = current() {
            handler.saved();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    #[test]
    fn console_events_map_to_requests() {
        assert_eq!(
            ConsoleEvent::from_code(2).map(ConsoleEvent::request),
            Some(Shutdown::HangUp(HANGUP))
        );
        for code in [5, 6] {
            assert_eq!(
                ConsoleEvent::from_code(code).map(ConsoleEvent::request),
                Some(Shutdown::HangUp(TERMINATE))
            );
        }
        for code in [0, 1] {
            assert_eq!(
                ConsoleEvent::from_code(code).map(ConsoleEvent::request),
                Some(Shutdown::Interrupt)
            );
        }
        assert_eq!(ConsoleEvent::from_code(3), None);
    }

    /// A console close reaches the app's channel as a hang-up; the handler does not return (and
    /// so Windows does not end the process) until the app has saved.
    #[test]
    fn closing_the_console_feeds_the_save_before_the_handler_returns() {
        use crate::core::{Rating, Standard};
        let standard = Standard::embedded().expect("standard");
        let dir = tempfile::tempdir().expect("dir");
        let now = chrono::Utc::now();
        let mut draft: crate::core::draft::Draft<crate::core::draft::Answering> =
            crate::core::draft::Draft::to_keep(crate::sample::complete_scan(&standard, 1, now));
        let mut session = crate::session::Session::create(dir.path());
        let file = session
            .save(&mut draft)
            .expect("first save")
            .expect("a file")
            .to_path_buf();

        let (tx, rx) = mpsc::channel();
        let handler = Arc::new(ConsoleHandler::new(
            Box::new(move |s| tx.send(s).is_ok()),
            Arc::new(AtomicBool::new(false)),
            Duration::from_secs(30),
        ));
        let waiting = Arc::clone(&handler);
        let os_thread = std::thread::spawn(move || {
            let answer = waiting.handle(ConsoleEvent::Close);
            (answer, Instant::now())
        });
        // The app's loop: the request arrives, it saves the change in memory, says so.
        let request = rx.recv_timeout(Duration::from_secs(10)).expect("request");
        assert_eq!(request, Shutdown::HangUp(HANGUP));
        std::thread::sleep(Duration::from_millis(100));
        assert!(!os_thread.is_finished(), "the handler waits for the save");
        let id = standard.questions().next().expect("q").question.id.clone();
        draft.set_rating(&id, Some(Rating::No), now);
        draft.set_text(&id, "saved on close", now);
        session.save(&mut draft).expect("save on close");
        let saved_at = Instant::now();
        handler.saved();
        let (answer, returned_at) = os_thread.join().expect("handler thread");
        assert!(
            answer,
            "the event is handled, not passed to the default handler"
        );
        assert!(
            returned_at >= saved_at,
            "the handler returned after the save"
        );
        let on_disk = crate::storage::load(&file).expect("load");
        assert_eq!(
            on_disk.answer(&id).map(|a| a.text.as_str()),
            Some("saved on close")
        );
    }

    #[test]
    fn with_nobody_listening_the_default_handling_happens() {
        let handler = ConsoleHandler::new(
            Box::new(|_| false),
            Arc::new(AtomicBool::new(false)),
            Duration::from_secs(30),
        );
        let start = Instant::now();
        assert!(!handler.handle(ConsoleEvent::Close));
        assert!(start.elapsed() < Duration::from_secs(5), "no wait");
    }

    #[test]
    fn ctrl_break_is_an_interrupt_and_is_left_to_an_open_editor() {
        let (tx, rx) = mpsc::channel();
        let suspended = Arc::new(AtomicBool::new(false));
        let handler = ConsoleHandler::new(
            Box::new(move |s| tx.send(s).is_ok()),
            Arc::clone(&suspended),
            Duration::from_secs(30),
        );
        assert!(handler.handle(ConsoleEvent::CtrlBreak));
        assert_eq!(rx.try_recv(), Ok(Shutdown::Interrupt));
        suspended.store(true, Ordering::SeqCst);
        assert!(handler.handle(ConsoleEvent::CtrlC));
        assert!(rx.try_recv().is_err(), "meant for the editor");
    }
}
