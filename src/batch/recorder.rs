//! The export's recorder: durable saves of scans' email logs made on a thread of their own, one
//! at a time in the order given, so the disk works while the next message is read and built.
//!
//! The export saves two entries a message: "sending" before it goes out, the outcome after (see
//! [`deliver`](super::deliver)). Each is a durable save (write, fsync, rename, fsync the folder),
//! and most of its time is spent waiting for the disk. In line, those waits came on top of
//! everything else. Now a message's "sent" entry is saved while the next scan is read and its
//! message built, and that next message's "sending" entry right after, still while it is built.
//!
//! What exactly-once needs is kept: the batch [`Recorder::wait`]s for both saves before the next
//! message goes out. So the disk always holds the events in their order, and a kill at any moment
//! leaves at most one message without its outcome, as saving in line did: either the message
//! just sent (its "sent" entry not yet on disk) or the next one (its "sending" entry on disk, the
//! message perhaps not yet out). A scan stays locked until its last save is on disk.
//!
//! A "sent" entry's save leaves its folder's flush to the next "sending" save in that folder, or
//! to [`Recorder::finish`] at the end ([`storage::save_atomically_folder_later`]): should a power
//! cut lose it, the scan shows the message unconfirmed, never ready to go again.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use crate::core::Scan;
use crate::storage::{self, ScanLock};

/// One save: the scan to write at `path`, and the scan's lock, let go once it is written.
#[derive(Debug)]
pub struct Save {
    /// Where the scan is saved.
    pub path: PathBuf,
    /// What is saved (shared while the batch builds a message from it; let go once saved).
    pub scan: Arc<Scan>,
    /// Held until the save is done (none while the batch still holds the lock itself).
    pub lock: Option<ScanLock>,
    /// Whether the folder is flushed now (the save is durable when it returns), or left for a
    /// later save in that folder, or the end, to flush ([`storage::save_atomically_folder_later`]).
    pub flush: bool,
}

impl Save {
    fn run(self) -> Result<(), String> {
        let saved = if self.flush {
            storage::save_atomically(&self.path, &self.scan)
        } else {
            storage::save_atomically_folder_later(&self.path, &self.scan)
        };
        // The batch takes the scan back once the save is reported: let go of it first.
        drop(self.scan);
        drop(self.lock);
        saved.map_err(|e| e.to_string())
    }
}

/// What the recorder is asked to do.
#[derive(Debug)]
enum Job {
    Save(Save),
    /// Flush every folder left to be flushed.
    Flush,
}

/// The recorder's own state: the folders holding saves not yet flushed.
#[derive(Debug, Default)]
struct Disk {
    unflushed: std::collections::BTreeSet<PathBuf>,
}

impl Disk {
    fn run(&mut self, job: Job) -> Result<(), String> {
        match job {
            Job::Save(save) => {
                let folder = storage::folder_of(&save.path).to_path_buf();
                let flush = save.flush;
                let saved = save.run();
                if flush && saved.is_ok() {
                    // Flushing the folder made every earlier rename in it durable too.
                    self.unflushed.remove(&folder);
                } else if !flush {
                    self.unflushed.insert(folder);
                }
                saved
            }
            Job::Flush => {
                let failed: Vec<String> = std::mem::take(&mut self.unflushed)
                    .into_iter()
                    .filter_map(|folder| {
                        storage::flush_folder(&folder)
                            .err()
                            .map(|e| format!("{}: {e}", folder.display()))
                    })
                    .collect();
                if failed.is_empty() {
                    Ok(())
                } else {
                    Err(failed.join("; "))
                }
            }
        }
    }
}

/// Saves in order on a thread of their own (or in line, if no thread could be started).
#[derive(Debug)]
pub struct Recorder {
    thread: Option<Worker>,
    /// The state when saving in line.
    disk: Disk,
    /// Results of saves made in line, not yet collected.
    done_in_line: Vec<Result<(), String>>,
    /// Jobs handed over and not yet collected.
    waiting: usize,
}

#[derive(Debug)]
struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Result<(), String>>,
    handle: JoinHandle<()>,
}

impl Recorder {
    /// Starts the recording thread. If the system refuses a thread, every save is made in line
    /// instead (slower, the same on disk).
    pub fn start() -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, done) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("skills-scan recorder".into())
            .spawn(move || {
                let mut disk = Disk::default();
                for job in inbox {
                    if outbox.send(disk.run(job)).is_err() {
                        break;
                    }
                }
                // The batch ended without asking (an error stopped it): flush what is left.
                let _ = disk.run(Job::Flush);
            })
            .ok()
            .map(|handle| Worker { jobs, done, handle });
        let mut recorder = Self::in_line();
        recorder.thread = thread;
        recorder
    }

    /// A recorder that saves in line (an export that sends nothing has nothing to save).
    pub fn in_line() -> Self {
        Self {
            thread: None,
            disk: Disk::default(),
            done_in_line: Vec::new(),
            waiting: 0,
        }
    }

    fn hand_over(&mut self, job: Job) {
        self.waiting += 1;
        let job = match &self.thread {
            Some(worker) => match worker.jobs.send(job) {
                Ok(()) => return,
                // The thread is gone (it cannot be, short of a bug): make this save here, durably.
                Err(mpsc::SendError(Job::Save(save))) => Job::Save(Save {
                    flush: true,
                    ..save
                }),
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let result = self.disk.run(job);
        self.done_in_line.push(result);
    }

    /// Hands a save over; it is made after every save handed over before it.
    pub fn save(&mut self, save: Save) {
        self.hand_over(Job::Save(save));
    }

    /// Waits until every save handed over is done; their results, in the order they were
    /// handed over.
    pub fn wait(&mut self) -> Vec<Result<(), String>> {
        let mut results = std::mem::take(&mut self.done_in_line);
        let on_thread = self.waiting - results.len();
        if let Some(worker) = &self.thread {
            // Saves made in line (after the thread was lost) come after those it had.
            let mut from_thread: Vec<_> = (0..on_thread)
                .map(|_| {
                    worker.done.recv().unwrap_or_else(|_| {
                        Err("the recording thread stopped before saving it".into())
                    })
                })
                .collect();
            from_thread.append(&mut results);
            results = from_thread;
        }
        self.waiting = 0;
        results
    }

    /// Waits for every save handed over, then flushes the folders of saves whose folder was
    /// left to be flushed later: once this returns `Ok`, everything recorded is durable. `Err`
    /// says what failed: a save not yet collected by [`Recorder::wait`] (none when the batch
    /// waited, as it does), or a folder that could not be flushed.
    pub fn finish(&mut self) -> Result<(), String> {
        self.hand_over(Job::Flush);
        let failed: Vec<String> = self.wait().into_iter().filter_map(Result::err).collect();
        if failed.is_empty() {
            Ok(())
        } else {
            Err(failed.join("; "))
        }
    }
}

impl Drop for Recorder {
    /// Lets every save handed over finish (a scan's lock is let go only once it is written),
    /// and flushes what is left to flush.
    fn drop(&mut self) {
        if let Some(Worker { jobs, handle, .. }) = self.thread.take() {
            drop(jobs);
            let _ = handle.join();
        }
        let _ = self.disk.run(Job::Flush);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_at(dir: &std::path::Path, n: usize) -> Save {
        let standard = crate::core::Standard::embedded().expect("standard");
        let mut scan = crate::sample::submitted_scan(&standard, 7, chrono::Utc::now());
        scan.learner.name = format!("Learner {n}");
        Save {
            path: dir.join(format!("{n}.json")),
            scan: Arc::new(scan),
            lock: None,
            flush: true,
        }
    }

    #[test]
    fn saves_are_made_in_order_and_reported_in_order() {
        for mut recorder in [Recorder::start(), Recorder::in_line()] {
            let dir = tempfile::tempdir().expect("dir");
            // The same file twice: the second save must be the one on disk.
            let mut first = scan_at(dir.path(), 1);
            Arc::make_mut(&mut first.scan).learner.name = "First".into();
            recorder.save(first);
            recorder.save(scan_at(dir.path(), 1));
            recorder.save(Save {
                path: dir.path().join("no such folder").join("2.json"),
                ..scan_at(dir.path(), 2)
            });
            let results = recorder.wait();
            assert_eq!(results.len(), 3);
            assert!(results[0].is_ok() && results[1].is_ok());
            assert!(results[2].as_ref().is_err_and(|e| e.contains("2.json")));
            let on_disk = storage::load(&dir.path().join("1.json")).expect("saved");
            assert_eq!(on_disk.learner.name, "Learner 1");
            assert!(recorder.wait().is_empty());
        }
    }

    #[test]
    fn a_folder_left_unflushed_is_flushed_by_the_next_durable_save_there_or_at_the_end() {
        let root = tempfile::tempdir().expect("dir");
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        for dir in [&a, &b] {
            std::fs::create_dir(dir).expect("mkdir");
        }
        let mut disk = Disk::default();
        let later = |dir: &std::path::Path| Save {
            flush: false,
            ..scan_at(dir, 1)
        };
        assert_eq!(disk.run(Job::Save(later(&a))), Ok(()));
        assert_eq!(disk.run(Job::Save(later(&b))), Ok(()));
        assert_eq!(disk.unflushed, [a.clone(), b.clone()].into());
        // A durable save in `a` flushed `a`, and with it the save before.
        assert_eq!(disk.run(Job::Save(scan_at(&a, 2))), Ok(()));
        assert_eq!(disk.unflushed, [b.clone()].into());
        assert_eq!(disk.run(Job::Flush), Ok(()));
        assert!(disk.unflushed.is_empty());
        // A folder that cannot be flushed is named (Windows has no folder flush to fail).
        assert_eq!(disk.run(Job::Save(later(&b))), Ok(()));
        std::fs::remove_dir_all(&b).expect("rm");
        let flushed = disk.run(Job::Flush);
        if cfg!(unix) {
            assert!(flushed.is_err_and(|e| e.contains(&b.display().to_string())));
        }
        assert!(disk.unflushed.is_empty());
    }

    #[test]
    fn finish_is_ok_once_everything_is_on_disk_and_otherwise_says_what_failed() {
        for mut recorder in [Recorder::start(), Recorder::in_line()] {
            let dir = tempfile::tempdir().expect("dir");
            recorder.save(Save {
                flush: false,
                ..scan_at(dir.path(), 1)
            });
            assert_eq!(recorder.finish(), Ok(()));
            // A failed save nobody collected is not lost in the finish.
            recorder.save(Save {
                path: dir.path().join("no such folder").join("2.json"),
                ..scan_at(dir.path(), 2)
            });
            assert!(recorder.finish().is_err_and(|e| e.contains("2.json")));
            assert_eq!(recorder.finish(), Ok(()));
        }
    }

    #[test]
    fn a_lock_is_let_go_once_its_save_is_done() {
        let dir = tempfile::tempdir().expect("dir");
        let mut save = scan_at(dir.path(), 1);
        storage::save_atomically(&save.path, &save.scan).expect("first save");
        save.lock = Some(storage::try_lock(&save.path).expect("lock"));
        let path = save.path.clone();
        let mut recorder = Recorder::start();
        recorder.save(save);
        assert_eq!(recorder.wait(), [Ok(())]);
        assert!(storage::try_lock(&path).is_ok(), "the lock was let go");
    }
}
