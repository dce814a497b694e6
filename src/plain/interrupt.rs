//! Plain mode's input from stdin, read on its own thread beside a signal thread, so that SIGHUP,
//! SIGTERM and SIGINT end the input as Ctrl-D does: the written answer being typed keeps the
//! lines already entered, the walk saves as it does at the end of input, and the caller then
//! exits with 128 + the signal (129, 143, 130), like the full-screen app.

use std::io::{self, BufRead, IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread;

use crate::platform::shutdown::{self, Shutdown};

/// The conventional number of SIGINT (Ctrl-C), for the exit code 130.
const INTERRUPT: i32 = 2;

enum Event {
    Data(Vec<u8>),
    End,
    Error(io::Error),
    Signal,
}

/// Stdin that a signal ends.
pub struct Input {
    rx: Receiver<Event>,
    buf: Vec<u8>,
    pos: usize,
    signal: Arc<AtomicI32>,
    /// Stdin is a terminal (its end is one Ctrl-D); else the first end is the last.
    terminal: bool,
    ended: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("signal", &self.signal())
            .finish_non_exhaustive()
    }
}

impl Input {
    /// Starts reading stdin and watching for SIGHUP, SIGTERM and SIGINT.
    pub fn stdin() -> io::Result<Self> {
        let (tx, rx) = channel();
        let signal = Arc::new(AtomicI32::new(0));
        let seen = Arc::clone(&signal);
        let to_main = std::sync::Mutex::new(tx.clone());
        // SIGHUP/SIGTERM/SIGINT on Unix; on Windows the console closing, log-off, shutdown,
        // Ctrl-C and Ctrl-Break (the platform module delivers both the same way).
        shutdown::listen(
            Box::new(move |request| {
                let code = match request {
                    Shutdown::Interrupt => INTERRUPT,
                    Shutdown::HangUp(code) => code,
                };
                if seen
                    .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                    && let Ok(tx) = to_main.lock()
                {
                    let _ = tx.send(Event::Signal);
                }
                true
            }),
            Arc::new(std::sync::atomic::AtomicBool::new(false)),
        )?;
        let terminal = io::stdin().is_terminal();
        thread::spawn(move || {
            let mut stdin = io::stdin();
            loop {
                let mut chunk = vec![0; 8192];
                let event = match stdin.read(&mut chunk) {
                    Ok(0) => Event::End,
                    Ok(n) => {
                        chunk.truncate(n);
                        Event::Data(chunk)
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Event::Error(e),
                };
                // A read error (a terminal that hung up) is the end too.
                let last =
                    matches!(event, Event::Error(_)) || (matches!(event, Event::End) && !terminal);
                if tx.send(event).is_err() || last {
                    return;
                }
            }
        });
        Ok(Self {
            rx,
            buf: Vec::new(),
            pos: 0,
            signal,
            terminal,
            ended: false,
        })
    }

    /// The signal that ended the input, if one did.
    pub fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

impl Read for Input {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Input {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.signal().is_some() || self.ended {
            return Ok(&[]);
        }
        if self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            // A terminal's Ctrl-D ends the input once and reading goes on; a pipe's end (the
            // reader has stopped) ends it for good.
            match self.rx.recv() {
                Ok(Event::Data(d)) => self.buf = d,
                Ok(Event::End) => {
                    self.ended = !self.terminal;
                    return Ok(&[]);
                }
                Ok(Event::Signal) | Err(_) => return Ok(&[]),
                Ok(Event::Error(e)) => {
                    self.ended = true;
                    return Err(e);
                }
            }
            if self.signal().is_some() {
                return Ok(&[]);
            }
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }
}
