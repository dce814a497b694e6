//! The terminal runtime shared by every full-screen app: terminal set-up and restore (also on
//! panic), and ONE channel fed by an input thread, a signal thread, a tick and worker threads.
//!
//! Why threads and not `event::poll` in the main loop: after an SSH hang-up crossterm's `poll`
//! spins and never returns, so a loop that checks a SIGHUP flag between polls never saves. Here
//! signals arrive on their own thread ([`crate::platform::shutdown`]: SIGHUP/SIGTERM, or on
//! Windows the console closing, log-off and shutdown); on any of them the app saves and calls
//! [`exit_after_hangup`] without drawing to a terminal that may be gone.
//!
//! How an app uses it (see `tui::learner::run` for a whole one):
//! 1. `let mut rt: Runtime<MyWork> = Runtime::start(tick)?;` then `rt.terminal().size()`.
//! 2. Loop: `rt.terminal().draw(..)`; `rt.next(timeout)` (then `rt.try_next()` to take a burst);
//!    map [`Incoming`] to the app's messages; on `HangUp(sig)` save and `exit_after_hangup(sig)`.
//! 3. Long work (email) on a thread with [`Runtime::worker_sender`]; `$EDITOR` via
//!    [`Runtime::suspend`].
//! 4. Wrap the loop in `catch_unwind` to save on panic (the hook has already restored the
//!    terminal), then [`Runtime::restore`] before printing anything.

use std::cell::Cell;
use std::io::{self, BufWriter, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::platform::shutdown::{self, Shutdown};

/// The terminal type the runtime draws on. Buffered, so a frame reaches the terminal in one
/// write (ratatui flushes after each draw) rather than in stdout's 1 KiB pieces.
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Room for a whole frame of a large window with colours (a full 80x24 frame is about 4 KiB).
const FRAME_BUFFER: usize = 64 * 1024;

/// Everything the main loop can receive, in arrival order.
#[derive(Debug)]
pub enum Incoming<W> {
    /// A key, paste, mouse or resize event from the terminal.
    Terminal(Event),
    /// SIGHUP or SIGTERM (the signal number): save and [`exit_after_hangup`]; the terminal may
    /// be gone, so do not draw (the exit restores it after SIGTERM).
    HangUp(i32),
    /// SIGINT from outside (Ctrl-C itself arrives as a key in raw mode): save and quit normally.
    Interrupt,
    /// The periodic tick (for debounced saves and progress displays).
    Tick,
    /// A result from a worker thread started by the app.
    Worker(W),
}

/// A running full-screen session: the terminal and the channel.
pub struct Runtime<W: Send + 'static> {
    terminal: Term,
    tx: Sender<Incoming<W>>,
    rx: Receiver<Incoming<W>>,
    input_paused: Arc<AtomicBool>,
    input_idle: Arc<AtomicBool>,
    /// The tick period until the input and tick threads are started (at the first wait for an
    /// event, after the first frame is drawn); `None` once they run.
    pending_tick: Cell<Option<Duration>>,
    restored: bool,
}

impl<W: Send + 'static> Runtime<W> {
    /// Sets up the terminal (raw mode, alternate screen, bracketed paste, mouse) with a panic hook
    /// that restores it, and starts the signal thread. The input and tick threads start at the
    /// first [`Runtime::next`] / [`Runtime::try_next`], so the first frame is drawn without
    /// waiting for them (keys typed meanwhile wait in the terminal and are read then).
    ///
    /// The alternate screen, paste and mouse modes are queued, not written: they reach the
    /// terminal with the first frame, in the same write (the terminal wakes once, for the whole
    /// first screen). Whatever gives the terminal back flushes them first, so they never come
    /// after the restore.
    pub fn start(tick: Duration) -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut out = BufWriter::with_capacity(FRAME_BUFFER, io::stdout());
        if let Err(e) = queue!(
            out,
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture
        ) {
            drop(out);
            restore_terminal();
            return Err(e);
        }
        // Should this fail, the backend (and what it holds) is written out as it is dropped,
        // before the restore.
        let backend = CrosstermBackend::new(out);
        let terminal = match Terminal::new(backend) {
            Ok(t) => t,
            Err(e) => {
                restore_terminal();
                return Err(e);
            }
        };
        let (tx, rx) = mpsc::channel();
        let input_paused = Arc::new(AtomicBool::new(false));
        let input_idle = Arc::new(AtomicBool::new(false));
        spawn_signals(tx.clone(), input_paused.clone())?;
        Ok(Self {
            terminal,
            tx,
            rx,
            input_paused,
            input_idle,
            pending_tick: Cell::new(Some(tick)),
            restored: false,
        })
    }

    /// Starts the input and tick threads if they are not running yet.
    fn start_inputs(&self) {
        if let Some(tick) = self.pending_tick.take() {
            spawn_input(
                self.tx.clone(),
                self.input_paused.clone(),
                self.input_idle.clone(),
            );
            spawn_tick(self.tx.clone(), tick);
        }
    }

    /// The terminal, to draw on.
    pub fn terminal(&mut self) -> &mut Term {
        &mut self.terminal
    }

    /// A sender for worker threads; what they send arrives as [`Incoming::Worker`].
    pub fn worker_sender(&self) -> WorkerSender<W> {
        WorkerSender(self.tx.clone())
    }

    /// Waits for the next event (or `None` after `timeout` with nothing).
    pub fn next(&self, timeout: Duration) -> Option<Incoming<W>> {
        self.start_inputs();
        self.rx.recv_timeout(timeout).ok()
    }

    /// Takes an event that is already waiting, without blocking (to coalesce bursts like pastes
    /// of many keys before drawing).
    pub fn try_next(&self) -> Option<Incoming<W>> {
        self.start_inputs();
        self.rx.try_recv().ok()
    }

    /// Leaves the full screen to run `f` (e.g. an external editor) with the terminal as it was,
    /// then takes the screen back and redraws from scratch. Terminal input is not read meanwhile.
    pub fn suspend<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        // The input thread is what says it has stopped reading: it must be running.
        self.start_inputs();
        self.input_paused.store(true, Ordering::SeqCst);
        while !self.input_idle.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(5));
        }
        // Anything still queued goes out before the terminal is given back.
        let _ = self.terminal.backend_mut().flush();
        restore_terminal();
        let result = f();
        enable_raw_mode()?;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture
        )?;
        self.terminal.clear()?;
        self.input_paused.store(false, Ordering::SeqCst);
        Ok(result)
    }

    /// Gives the terminal back to the shell (idempotent; errors ignored).
    pub fn restore(&mut self) {
        if !self.restored {
            self.restored = true;
            // Also writes out anything still queued (the set-up, if no frame was drawn), so the
            // restore comes after it.
            let _ = self.terminal.show_cursor();
            restore_terminal();
        }
    }
}

impl<W: Send + 'static> Drop for Runtime<W> {
    fn drop(&mut self) {
        self.restore();
    }
}

/// Lets a worker thread post its result to the main loop.
pub struct WorkerSender<W>(Sender<Incoming<W>>);

impl<W> Clone for WorkerSender<W> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<W> WorkerSender<W> {
    /// Posts a result; false if the main loop has gone.
    pub fn send(&self, w: W) -> bool {
        self.0.send(Incoming::Worker(w)).is_ok()
    }
}

/// Ends the process after SIGHUP or SIGTERM, or a closed console window, log-off or shutdown
/// on Windows (once the app has saved), with the conventional 128 + signal code. The terminal is
/// put back as it was: after SIGTERM (a `kill`, a shutdown) it is usually still there, and a
/// SIGHUP can come while it survives (`kill -HUP`, a multiplexer); after a real hang-up the
/// writes just fail. The restore ignores every error, so a terminal that went away cannot stop
/// the exit.
pub fn exit_after_hangup(signal: i32) -> ! {
    restore_terminal();
    // On Windows the console handler is waiting for this before the system ends the process.
    shutdown::saved();
    std::process::exit(128 + signal)
}

/// Turns off everything [`Runtime::start`] turned on. Errors are ignored: after a hang-up there
/// is no terminal to restore, and printing about it would panic (ECOSYSTEM trap 2).
pub fn restore_terminal() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    let _ = out.flush();
    let _ = disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, crossterm::cursor::Show);
}

fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

fn spawn_input<W: Send + 'static>(
    tx: Sender<Incoming<W>>,
    paused: Arc<AtomicBool>,
    idle: Arc<AtomicBool>,
) {
    thread::spawn(move || {
        loop {
            if paused.load(Ordering::SeqCst) {
                idle.store(true, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10));
                continue;
            }
            idle.store(false, Ordering::SeqCst);
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(Incoming::Terminal(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
}

/// Shutdown requests (signals on Unix, console events on Windows) into the channel.
fn spawn_signals<W: Send + 'static>(
    tx: Sender<Incoming<W>>,
    suspended: Arc<AtomicBool>,
) -> io::Result<()> {
    shutdown::listen(
        Box::new(move |request| {
            let msg = match request {
                Shutdown::Interrupt => Incoming::Interrupt,
                Shutdown::HangUp(code) => Incoming::HangUp(code),
            };
            tx.send(msg).is_ok()
        }),
        suspended,
    )
}

fn spawn_tick<W: Send + 'static>(tx: Sender<Incoming<W>>, every: Duration) {
    thread::spawn(move || {
        loop {
            thread::sleep(every);
            if tx.send(Incoming::Tick).is_err() {
                return;
            }
        }
    });
}
