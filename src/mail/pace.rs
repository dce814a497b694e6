//! Pacing sends (the batch export and `outbox send`): messages spaced evenly to stay under a relay's per-minute limit, and growing
//! pauses between retries of a temporary failure. The clock is passed in so this is testable.

use std::time::{Duration, Instant};

/// Time as the batch sees it.
pub trait Clock {
    /// Now.
    fn now(&self) -> Instant;
    /// Waits.
    fn sleep(&self, d: Duration);
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// Spaces sends evenly: at most `n` a minute, so one every `60 s / n`.
#[derive(Debug, Clone)]
pub struct Pacer {
    interval: Option<Duration>,
    last: Option<Instant>,
}

impl Pacer {
    /// At most `n` sends a minute; 0 means no limit.
    pub fn per_minute(n: u32) -> Self {
        Self {
            interval: (n > 0).then(|| Duration::from_secs(60) / n),
            last: None,
        }
    }

    /// The spacing between sends, if limited.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// Waits until the next send is allowed, then counts it as started.
    pub fn wait(&mut self, clock: &dyn Clock) {
        if let Some(left) = self.time_to_slot(clock) {
            clock.sleep(left);
        }
        self.last = Some(clock.now());
    }

    /// Waits until the next send is allowed, then counts it as started and says `true`; or
    /// stops waiting once `stop` says so (a signal asked the batch to stop), says `false` and
    /// counts nothing.
    pub fn wait_unless(&mut self, clock: &dyn Clock, stop: &dyn Fn() -> bool) -> bool {
        if let Some(left) = self.time_to_slot(clock) {
            sleep_unless(clock, left, stop);
        }
        if stop() {
            return false;
        }
        self.last = Some(clock.now());
        true
    }

    /// How long until the next send is allowed, if it is not yet.
    fn time_to_slot(&self, clock: &dyn Clock) -> Option<Duration> {
        let (interval, last) = (self.interval?, self.last?);
        let due = last + interval;
        let now = clock.now();
        (due > now).then(|| due - now)
    }
}

/// The pause before retry number `attempt` (1-based): `base`, then doubling, at most a minute.
pub fn backoff(attempt: u32, base: Duration) -> Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(6);
    (base * factor).min(Duration::from_secs(60))
}

/// Sleeps for `d` on `clock` in short steps, stopping early once `stop` says so (a signal asked
/// the batch to stop during a pause).
pub fn sleep_unless(clock: &dyn Clock, d: Duration, stop: &dyn Fn() -> bool) {
    const STEP: Duration = Duration::from_millis(100);
    let mut left = d;
    while !left.is_zero() && !stop() {
        let chunk = left.min(STEP);
        clock.sleep(chunk);
        left -= chunk;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// A clock that only moves when slept on.
    struct FakeClock {
        start: Instant,
        elapsed: RefCell<Duration>,
        sleeps: RefCell<Vec<Duration>>,
    }

    impl FakeClock {
        fn new() -> Self {
            Self {
                start: Instant::now(),
                elapsed: RefCell::new(Duration::ZERO),
                sleeps: RefCell::new(Vec::new()),
            }
        }
        fn advance(&self, d: Duration) {
            *self.elapsed.borrow_mut() += d;
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> Instant {
            self.start + *self.elapsed.borrow()
        }
        fn sleep(&self, d: Duration) {
            self.sleeps.borrow_mut().push(d);
            self.advance(d);
        }
    }

    #[test]
    fn thirty_a_minute_is_one_every_two_seconds() {
        let clock = FakeClock::new();
        let mut p = Pacer::per_minute(30);
        p.wait(&clock); // first: no wait
        clock.advance(Duration::from_millis(500)); // sending took 0.5 s
        p.wait(&clock);
        p.wait(&clock);
        assert_eq!(
            *clock.sleeps.borrow(),
            vec![Duration::from_millis(1500), Duration::from_secs(2)]
        );
    }

    #[test]
    fn slow_sends_are_not_delayed_further_and_zero_is_unlimited() {
        let clock = FakeClock::new();
        let mut p = Pacer::per_minute(60);
        p.wait(&clock);
        clock.advance(Duration::from_secs(3));
        p.wait(&clock);
        assert!(clock.sleeps.borrow().is_empty());
        let mut free = Pacer::per_minute(0);
        for _ in 0..100 {
            free.wait(&clock);
        }
        assert!(clock.sleeps.borrow().is_empty());
        assert_eq!(free.interval(), None);
    }

    #[test]
    fn a_wait_for_the_slot_stops_when_asked_and_takes_no_slot() {
        let clock = FakeClock::new();
        let mut p = Pacer::per_minute(30);
        assert!(p.wait_unless(&clock, &|| false)); // first: no wait
        // Asked to stop after 0.3 s of the 2 s wait: it stops then, and takes no slot.
        let stop = || clock.now() - clock.start >= Duration::from_millis(300);
        assert!(!p.wait_unless(&clock, &stop));
        let waited: Duration = clock.sleeps.borrow().iter().sum();
        assert_eq!(waited, Duration::from_millis(300));
        // Not asked: the slot is taken 2 s after the first, as with `wait`.
        assert!(p.wait_unless(&clock, &|| false));
        assert_eq!(clock.now() - clock.start, Duration::from_secs(2));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Duration::from_secs(2);
        assert_eq!(backoff(1, b), Duration::from_secs(2));
        assert_eq!(backoff(2, b), Duration::from_secs(4));
        assert_eq!(backoff(3, b), Duration::from_secs(8));
        assert_eq!(backoff(30, b), Duration::from_secs(60));
    }
}
