//! The confidentiality guard: finds details in an answer that could identify a person the learner
//! supports (NHS and National Insurance numbers, phone numbers, email addresses, full postcodes,
//! dates of birth). A warning, never a block: each [`Finding`] is only a [`Kind`] and a byte
//! range into the text it was found in; the matched text is never copied or stored.
//!
//! One pass over the bytes, no regular expressions: ordinary prose is skipped a word at a time and
//! only words starting with a digit or shaped like a postcode or NI number are looked at closely
//! (a 5,000-word answer takes a few tens of microseconds, see `benches/guard.rs`).

use std::ops::Range;

use super::Scan;
use super::standard::QuestionId;

/// What kind of identifying detail was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Ten digits (spaces or dashes allowed) whose mod-11 check digit is valid.
    NhsNumber,
    /// Two valid prefix letters, six digits, a suffix A–D.
    NiNumber,
    /// A UK mobile or landline number, or one written with +44.
    Phone,
    /// An email address.
    Email,
    /// A full UK postcode (outward and inward parts).
    Postcode,
    /// A date written next to "born", "DOB", "date of birth".
    DateOfBirth,
}

impl Kind {
    /// Every kind, in the order they are reported.
    pub const ALL: [Kind; 6] = [
        Kind::NhsNumber,
        Kind::NiNumber,
        Kind::Phone,
        Kind::Email,
        Kind::Postcode,
        Kind::DateOfBirth,
    ];

    /// The kind in words, with its article ("an NHS number").
    pub fn label(self) -> &'static str {
        match self {
            Kind::NhsNumber => "an NHS number",
            Kind::NiNumber => "a National Insurance number",
            Kind::Phone => "a phone number",
            Kind::Email => "an email address",
            Kind::Postcode => "a postcode",
            Kind::DateOfBirth => "a date of birth",
        }
    }
}

/// One likely identifier: what kind, and where (a byte range of the text; it never spans lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of detail.
    pub kind: Kind,
    /// Where it is, in bytes (always on character boundaries).
    pub range: Range<usize>,
}

/// The one-line reminder of why the learner is warned.
pub const REMINDER: &str =
    "Leave out details of people you support: answers are emailed and uploaded.";

/// Finds every likely identifier in `text`, in order of position, not overlapping.
pub fn find(text: &str) -> Vec<Finding> {
    let mut s = Scanner {
        b: text.as_bytes(),
        found: Vec::new(),
    };
    s.run();
    s.found
}

/// Whether `text` holds anything [`find`] would report.
pub fn warns(text: &str) -> bool {
    !find(text).is_empty()
}

/// The distinct kinds among `findings`, in [`Kind::ALL`] order.
pub fn kinds(findings: &[Finding]) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| findings.iter().any(|f| f.kind == *k))
        .collect()
}

/// The kinds in words: "a phone number", "a phone number and a postcode",
/// "an NHS number, a phone number and a postcode".
pub fn describe(kinds: &[Kind]) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The ids of the scan's answers that [`warns`] about, in the standard's order.
pub fn flagged_answers(scan: &Scan) -> Vec<QuestionId> {
    scan.standard()
        .questions()
        .filter(|l| scan.answer(&l.question.id).is_some_and(|a| warns(&a.text)))
        .map(|l| l.question.id.clone())
        .collect()
}

// Byte classes.
const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 3;
/// A byte of a multi-byte character: part of a word, never the start of a finding.
const WIDE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b'0'..=b'9' => DIGIT,
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            0x80..=0xff => WIDE,
            _ => OTHER,
        };
        i += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

fn is_word(b: u8) -> bool {
    class(b) != OTHER
}

fn is_letter(b: u8) -> bool {
    matches!(class(b), UPPER | LOWER)
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

struct Scanner<'a> {
    b: &'a [u8],
    found: Vec<Finding>,
}

/// A run of digits separated by single spaces, dashes or a closing bracket.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    /// Whether a finding may end at `i` (no letter or digit follows).
    fn ends_at(&self, i: usize) -> bool {
        !is_word(self.at(i))
    }

    fn push(&mut self, kind: Kind, range: Range<usize>) {
        while self.found.last().is_some_and(|f| f.range.end > range.start) {
            self.found.pop();
        }
        self.found.push(Finding { kind, range });
    }

    fn word_end(&self, mut i: usize) -> usize {
        while i < self.b.len() && is_word(self.b[i]) {
            i += 1;
        }
        i
    }

    fn run(&mut self) {
        let n = self.b.len();
        let mut i = 0;
        while i < n {
            let c = self.b[i];
            match class(c) {
                DIGIT => i = self.number(i),
                UPPER | LOWER => i = self.word(i),
                WIDE => i = self.word_end(i),
                _ => {
                    i = match c {
                        b'@' => self.email(i),
                        b'+' => self.plus(i),
                        _ => i + 1,
                    };
                }
            }
        }
    }

    /// A word starting with a letter at `start` (a word boundary): a postcode, an NI number or a
    /// date-of-birth trigger. Returns where to carry on.
    fn word(&mut self, start: usize) -> usize {
        let end = self.word_end(start);
        let w = &self.b[start..end];
        // Most words are neither: only a digit in second or third place, or a short word
        // followed by a digit, makes a postcode or an NI number possible.
        let shaped = w.len() >= 2
            && (is_digit(w[1])
                || w.get(2).copied().is_some_and(is_digit)
                || (w.len() == 2 && is_digit(self.at(end + 1))));
        if shaped {
            if let Some(e) = self.postcode(start, end) {
                self.push(Kind::Postcode, start..e);
                return e;
            }
            if let Some(e) = self.ni_number(start, end) {
                self.push(Kind::NiNumber, start..e);
                return e;
            }
        }
        if !matches!(w[0] | 0x20, b'b' | b'd') {
            return end;
        }
        let trigger = match w.len() {
            3 => w.eq_ignore_ascii_case(b"dob"),
            4 => w.eq_ignore_ascii_case(b"born"),
            5 => w.eq_ignore_ascii_case(b"birth"),
            1 => {
                (w[0] | 0x20) == b'd'
                    && self.b.len() >= start + 5
                    && self.b[start + 1..start + 5].eq_ignore_ascii_case(b".o.b")
            }
            _ => false,
        };
        if trigger {
            let after = if w.len() == 1 { start + 5 } else { end };
            if let Some(date) = self.date_after(after) {
                self.push(Kind::DateOfBirth, date.clone());
                return date.end;
            }
        }
        end
    }

    /// A full postcode starting at `start` whose first word ends at `end`.
    fn postcode(&self, start: usize, end: usize) -> Option<usize> {
        let w = &self.b[start..end];
        let upper = class(w[0]) == UPPER;
        let same_case = |x: &[u8]| {
            x.iter()
                .all(|&c| is_digit(c) || (class(c) == if upper { UPPER } else { LOWER }))
        };
        // Outward then inward, with one space between them, or written together.
        let (out, inward) = if (2..=4).contains(&w.len()) && self.at(end) == b' ' {
            let e = end + 4;
            if e > self.b.len() || !self.ends_at(e) {
                return None;
            }
            (w, &self.b[end + 1..e])
        } else if (5..=7).contains(&w.len()) {
            w.split_at(w.len() - 3)
        } else {
            return None;
        };
        if !same_case(out) || !same_case(inward) || !outward_ok(out) || !inward_ok(inward) {
            return None;
        }
        // In lower case, "m1 1st" is a road and an ordinal more often than a postcode.
        if !upper {
            let tail = [inward[1], inward[2]];
            if matches!(&tail, b"st" | b"nd" | b"rd" | b"th") {
                return None;
            }
        }
        Some(start + out.len() + usize::from(out.len() == w.len()) + 3)
    }

    /// An NI number starting at `start` whose first word ends at `end`: "AB123456C",
    /// "AB 12 34 56 C", "AB123456 C".
    fn ni_number(&self, start: usize, end: usize) -> Option<usize> {
        let b = self.b;
        if end - start != 2 && end - start != 8 && end - start != 9 {
            return None;
        }
        let upper = class(b[start]) == UPPER;
        if !ni_prefix_ok(b[start], b[start + 1]) {
            return None;
        }
        let mut i = start + 2;
        let mut digits = 0;
        while digits < 6 {
            if self.at(i) == b' ' && digits % 2 == 0 && is_digit(self.at(i + 1)) {
                i += 1;
            }
            if !is_digit(self.at(i)) {
                return None;
            }
            i += 1;
            digits += 1;
        }
        if self.at(i) == b' ' && is_letter(self.at(i + 1)) {
            i += 1;
        }
        let suffix = self.at(i);
        let suffix_ok = if upper {
            matches!(suffix, b'A'..=b'D')
        } else {
            matches!(suffix, b'a'..=b'd')
        };
        (suffix_ok && self.ends_at(i + 1)).then_some(i + 1)
    }

    /// Digit groups from `start`: digits separated by one space or dash (or a closing bracket and
    /// a space, as in "(01632) 960123"). At most eight groups are kept.
    fn groups(&self, start: usize, out: &mut [Group; 8]) -> (usize, usize) {
        let b = self.b;
        let mut count = 0;
        let mut i = start;
        loop {
            let s = i;
            while i < b.len() && is_digit(b[i]) {
                i += 1;
            }
            out[count] = Group { start: s, end: i };
            count += 1;
            if count == out.len() {
                break;
            }
            let sep = match (self.at(i), self.at(i + 1)) {
                (b' ' | b'-', d) if is_digit(d) => 1,
                (b')', b' ') if is_digit(self.at(i + 2)) => 2,
                (b')', d) if is_digit(d) => 1,
                _ => break,
            };
            i += sep;
        }
        (count, i)
    }

    /// A number starting at `start`: an NHS number or a phone number, or just a number.
    fn number(&mut self, start: usize) -> usize {
        let prev = if start == 0 { b' ' } else { self.b[start - 1] };
        // Part of a word, a decimal, a sum of money, a time: skip the digits.
        if is_word(prev) || matches!(prev, b'.' | b',' | b'$') {
            let mut i = start;
            while i < self.b.len() && is_digit(self.b[i]) {
                i += 1;
            }
            return i.max(start + 1);
        }
        let mut g = [Group { start: 0, end: 0 }; 8];
        let (count, end) = self.groups(start, &mut g);
        let mut k = 0;
        let mut last_end = start;
        while k < count {
            if let Some((kind, j)) = self.number_at(&g[k..count]) {
                let mut range = g[k].start..g[k + j].end;
                // "(01632) 960123": the bracket belongs to the number.
                if k == 0 && prev == b'(' && kind == Kind::Phone {
                    range.start -= 1;
                }
                last_end = range.end;
                self.push(kind, range);
                k += j + 1;
            } else {
                k += 1;
            }
        }
        end.max(last_end).max(start + 1)
    }

    /// Whether the groups starting at `g[0]` begin a phone or NHS number; its last group's index.
    fn number_at(&self, g: &[Group]) -> Option<(Kind, usize)> {
        let b = self.b;
        let first = g[0].start;
        // A group must start a number: not right after a bracket that is not its own.
        let starts_with_zero = b[first] == b'0';
        let mut total = 0;
        let mut best = None;
        for (j, grp) in g.iter().enumerate() {
            total += grp.end - grp.start;
            if total > 11 {
                break;
            }
            let is_last = j + 1 == g.len();
            // The number must end where its group does, and not run on into a word.
            if is_last && !self.ends_at(grp.end) {
                break;
            }
            if starts_with_zero && b.get(first + 1) != Some(&b'0') && (total == 10 || total == 11) {
                best = Some((Kind::Phone, j));
            } else if total == 10 && best.is_none() && !starts_with_zero {
                let size = |x: &Group| x.end - x.start;
                let shape_ok = match &g[..=j] {
                    [a] => size(a) == 10,
                    [a, b, c] => size(a) == 3 && size(b) == 3 && size(c) == 4,
                    _ => false,
                };
                if shape_ok && self.same_separators(&g[..=j]) && nhs_valid(self.digits(&g[..=j])) {
                    return Some((Kind::NhsNumber, j));
                }
            }
        }
        best
    }

    fn same_separators(&self, g: &[Group]) -> bool {
        let sep = |x: &Group| self.b.get(x.end).copied();
        g.split_last().is_none_or(|(_, init)| {
            init.iter()
                .all(|x| sep(x) == sep(&g[0]) && sep(x) != Some(b')'))
        })
    }

    fn digits(&self, g: &[Group]) -> [u8; 10] {
        let mut out = [0u8; 10];
        let mut n = 0;
        for grp in g {
            for &c in &self.b[grp.start..grp.end] {
                if n < 10 {
                    out[n] = c - b'0';
                    n += 1;
                }
            }
        }
        out
    }

    /// "+44 7700 900123", "+44 (0)20 7946 0123", "+447700900123".
    fn plus(&mut self, start: usize) -> usize {
        let b = self.b;
        if b.get(start + 1..start + 3) != Some(b"44".as_slice()) {
            return start + 1;
        }
        let mut i = start + 3;
        if self.at(i) == b' ' || self.at(i) == b'-' {
            i += 1;
        }
        if b.get(i..i + 3) == Some(b"(0)".as_slice()) {
            i += 3;
            if self.at(i) == b' ' {
                i += 1;
            }
        }
        if !is_digit(self.at(i)) || self.at(i) == b'0' {
            return start + 1;
        }
        let mut g = [Group { start: 0, end: 0 }; 8];
        let (count, _) = self.groups(i, &mut g);
        let mut total = 0;
        let mut best = None;
        for grp in &g[..count] {
            total += grp.end - grp.start;
            if total > 10 {
                break;
            }
            if total >= 9 && self.ends_at(grp.end) {
                best = Some(grp.end);
            }
        }
        match best {
            Some(end) => {
                self.push(Kind::Phone, start..end);
                end
            }
            None => start + 1,
        }
    }

    /// An email address around the `@` at `at`.
    fn email(&mut self, at: usize) -> usize {
        let b = self.b;
        let local =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut s = at;
        while s > 0 && at - s < 64 && local(b[s - 1]) {
            s -= 1;
        }
        while s < at && b[s] == b'.' {
            s += 1;
        }
        if s == at {
            return at + 1;
        }
        let mut e = at + 1;
        while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'-' || b[e] == b'.') {
            if b[e] == b'.' && matches!(b[e - 1], b'.' | b'@') {
                break;
            }
            e += 1;
        }
        // A sentence's full stop is not part of the domain.
        if b[e - 1] == b'.' {
            e -= 1;
        }
        let Some(dot) = b[at + 1..e].iter().rposition(|&c| c == b'.') else {
            return at + 1;
        };
        let dot = at + 1 + dot;
        let tld = &b[dot + 1..e];
        if tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
            return at + 1;
        }
        self.push(Kind::Email, s..e);
        e
    }

    /// A date just after a "born"/"DOB" word at `from`: a few linking words ("on", "the", "is",
    /// ":") may come between.
    fn date_after(&self, from: usize) -> Option<Range<usize>> {
        let b = self.b;
        let mut i = from;
        for _ in 0..4 {
            while matches!(self.at(i), b' ' | b':' | b'-' | b',' | b'.' | b'(' | b'=') {
                i += 1;
            }
            if let Some(end) = self.date_at(i) {
                return Some(i..end);
            }
            let e = self.word_end(i);
            let w = &b[i..e];
            let filler = ["on", "in", "the", "is", "was", "of", "date", "dated"]
                .iter()
                .any(|f| w.eq_ignore_ascii_case(f.as_bytes()));
            if !filler {
                return None;
            }
            i = e;
        }
        None
    }

    /// A date at `i`: "12/03/1985", "12-03-85", "1985-03-12", "12 March 1985", "12th of March",
    /// "March 12, 1985". The end of the date.
    #[allow(clippy::many_single_char_names)]
    fn date_at(&self, i: usize) -> Option<usize> {
        let b = self.b;
        let num = |s: usize, lo: usize, hi: usize| {
            let mut e = s;
            while e < b.len() && is_digit(b[e]) {
                e += 1;
            }
            (lo..=hi).contains(&(e - s)).then_some(e)
        };
        if is_digit(self.at(i)) {
            // Numeric: d/m/y or y-m-d.
            if let Some(e1) = num(i, 1, 4) {
                let sep = self.at(e1);
                if matches!(sep, b'/' | b'-' | b'.')
                    && let Some(e2) = num(e1 + 1, 1, 2)
                    && self.at(e2) == sep
                    && let Some(e3) = num(e2 + 1, 1, 4)
                    && self.ends_at(e3)
                {
                    return Some(e3);
                }
            }
            // Day, optional ordinal, optional "of", month name, optional year.
            let e = num(i, 1, 2)?;
            let mut j = self.word_end(e).min(e + 2);
            let suffix = &b[e..j];
            if !(suffix.is_empty()
                || [b"st", b"nd", b"rd", b"th"]
                    .iter()
                    .any(|s| suffix.eq_ignore_ascii_case(*s)))
            {
                return None;
            }
            while self.at(j) == b' ' {
                j += 1;
            }
            if b.get(j..j + 3)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"of "))
            {
                j += 3;
            }
            let m = self.month(j)?;
            return Some(self.year_after(m).unwrap_or(m));
        }
        // Month name, day, optional year.
        let m = self.month(i)?;
        let mut j = m;
        while self.at(j) == b' ' {
            j += 1;
        }
        let e = num(j, 1, 2)?;
        let mut k = e;
        let w = self.word_end(e);
        if w - e == 2 {
            k = w;
        } else if w != e {
            return None;
        }
        Some(self.year_after(k).unwrap_or(k))
    }

    fn year_after(&self, i: usize) -> Option<usize> {
        let mut j = i;
        if self.at(j) == b',' {
            j += 1;
        }
        while self.at(j) == b' ' {
            j += 1;
        }
        let mut e = j;
        while e < self.b.len() && is_digit(self.b[e]) {
            e += 1;
        }
        (e - j == 4 && self.ends_at(e)).then_some(e)
    }

    /// A month name (or its usual short form) at `i`; where it ends.
    fn month(&self, i: usize) -> Option<usize> {
        const MONTHS: [&str; 12] = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        let e = self.word_end(i);
        let w = &self.b[i..e];
        if w.len() < 3 {
            return None;
        }
        let hit = MONTHS.iter().any(|m| {
            let m = m.as_bytes();
            w.eq_ignore_ascii_case(m)
                || (w.len() == 3 && w.eq_ignore_ascii_case(&m[..3]))
                || (w.len() == 4 && w.eq_ignore_ascii_case(b"sept") && m[0] == b's')
        });
        if !hit {
            return None;
        }
        Some(if self.at(e) == b'.' { e + 1 } else { e })
    }
}

/// Whether the ten digits make a valid NHS number: weights 10 down to 2 on the first nine,
/// check = 11 − (sum mod 11), 11 counts as 0 and 10 is never valid.
pub fn nhs_valid(d: [u8; 10]) -> bool {
    let sum: u32 = d[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(d[9])
}

fn ni_prefix_ok(a: u8, b: u8) -> bool {
    if !(is_letter(a) && is_letter(b)) || class(a) != class(b) {
        return false;
    }
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    let bad_first = matches!(a, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V');
    let bad_second = matches!(b, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V' | b'O');
    let bad_pair = matches!(
        &[a, b],
        b"BG" | b"GB" | b"NK" | b"KN" | b"TN" | b"NT" | b"ZZ"
    );
    !(bad_first || bad_second || bad_pair)
}

/// The outward code: A9, A99, AA9, AA99, A9A, AA9A (letters as the Royal Mail allows).
#[allow(clippy::many_single_char_names)]
fn outward_ok(out: &[u8]) -> bool {
    let mut up = [0u8; 4];
    let Some(up) = up.get_mut(..out.len()) else {
        return false;
    };
    up.copy_from_slice(out);
    up.make_ascii_uppercase();
    let l = |c: u8| c.is_ascii_uppercase();
    let d = |c: u8| c.is_ascii_digit();
    let first_ok = |c: u8| l(c) && !matches!(c, b'Q' | b'V' | b'X');
    let second_ok = |c: u8| l(c) && !matches!(c, b'I' | b'J' | b'Z');
    match &*up {
        [a, n] => first_ok(*a) && d(*n),
        [a, n, m] if d(*n) && d(*m) => first_ok(*a),
        [a, n, x] if d(*n) => first_ok(*a) && b"ABCDEFGHJKPSTUW".contains(x),
        [a, b, n] => first_ok(*a) && second_ok(*b) && d(*n),
        [a, b, n, m] if d(*m) => first_ok(*a) && second_ok(*b) && d(*n),
        [a, b, n, x] => first_ok(*a) && second_ok(*b) && d(*n) && b"ABEHMNPRVWXY".contains(x),
        _ => false,
    }
}

/// The inward code: a digit and two letters (never C, I, K, M, O or V).
fn inward_ok(inward: &[u8]) -> bool {
    let ok = |c: u8| {
        let c = c.to_ascii_uppercase();
        c.is_ascii_uppercase() && !matches!(c, b'C' | b'I' | b'K' | b'M' | b'O' | b'V')
    };
    matches!(inward, [n, x, y] if n.is_ascii_digit() && ok(*x) && ok(*y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_in(text: &str) -> Vec<(Kind, &str)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    /// A valid NHS number from nine digits (None when the check digit would be 10).
    fn with_check(nine: &str) -> Option<String> {
        let d: Vec<u32> = nine.bytes().map(|c| u32::from(c - b'0')).collect();
        let sum: u32 = d.iter().zip((2..=10u32).rev()).map(|(x, w)| x * w).sum();
        match 11 - sum % 11 {
            10 => None,
            11 => Some(format!("{nine}0")),
            c => Some(format!("{nine}{c}")),
        }
    }

    #[test]
    fn nhs_numbers_with_a_valid_check_digit() {
        let n = with_check("943476591").expect("valid");
        assert_eq!(n, "9434765919");
        let spaced = format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
        let dashed = format!("{}-{}-{}", &n[..3], &n[3..6], &n[6..]);
        for text in [n.clone(), spaced, dashed] {
            let line = format!("Her NHS number is {text}.");
            assert_eq!(
                kinds_in(&line),
                vec![(Kind::NhsNumber, text.as_str())],
                "{line}"
            );
        }
    }

    #[test]
    fn nhs_numbers_with_a_wrong_check_digit_are_not_reported() {
        assert!(find("ref 9434765918 and 943 476 5910").is_empty());
        // Check digit 10: never valid.
        assert!(with_check("123456789").is_none());
        assert!(find("1234567890 1234567891").is_empty());
    }

    #[test]
    fn nhs_check_digit_rule() {
        assert!(nhs_valid([9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
        assert!(!nhs_valid([9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
    }

    #[test]
    fn national_insurance_numbers() {
        for ni in [
            "AB123456C",
            "AB 12 34 56 C",
            "JG103759A",
            "ab123456d",
            "AB123456 C",
        ] {
            let line = format!("NI: {ni} today");
            assert_eq!(kinds_in(&line), vec![(Kind::NiNumber, ni)], "{line}");
        }
        // Bad prefixes and suffixes.
        for not in [
            "DA123456A",
            "AO123456A",
            "GB123456A",
            "AB123456E",
            "AB12345C",
            "Ab123456C",
        ] {
            assert!(find(not).is_empty(), "{not}");
        }
    }

    #[test]
    fn phone_numbers() {
        for phone in [
            "07700 900123",
            "07700900123",
            "07700 900 123",
            "0161 496 0123",
            "020 7946 0123",
            "01632 960123",
            "01632-960-123",
            "+44 7700 900123",
            "+447700900123",
            "+44 (0)20 7946 0123",
        ] {
            let line = format!("call {phone}, ok");
            assert_eq!(kinds_in(&line), vec![(Kind::Phone, phone)], "{line}");
        }
        assert_eq!(
            kinds_in("ring (01632) 960123 now"),
            vec![(Kind::Phone, "(01632) 960123")]
        );
        // Numbers after a phone number do not hide it.
        assert_eq!(
            kinds_in("07700 900123 10 times"),
            vec![(Kind::Phone, "07700 900123")]
        );
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            kinds_in("Write to jo.bloggs+x@example.org."),
            vec![(Kind::Email, "jo.bloggs+x@example.org")]
        );
        assert_eq!(kinds_in("a@b.co"), vec![(Kind::Email, "a@b.co")]);
        for not in ["@home", "me@", "x@y", "meet @ 3pm", "a@b.c"] {
            assert!(find(not).is_empty(), "{not}");
        }
    }

    #[test]
    fn postcodes() {
        for pc in [
            "LS1 4AP", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB",
            "ls1 4ap", "LS14AP",
        ] {
            let line = format!("lives at {pc}, near");
            assert_eq!(kinds_in(&line), vec![(Kind::Postcode, pc)], "{line}");
        }
        for not in [
            "LS1",
            "m1 1st",
            "Level 3 2nd",
            "QS1 4AP",
            "LS1 4CP",
            "Ls1 4ap",
            "A1 2nd",
        ] {
            assert!(find(not).is_empty(), "{not}");
        }
    }

    #[test]
    fn dates_of_birth_next_to_a_trigger_word() {
        for (line, date) in [
            ("born 12/03/1985", "12/03/1985"),
            ("DOB: 12-03-85", "12-03-85"),
            ("date of birth 3rd March 1985", "3rd March 1985"),
            ("she was born on the 3rd of March 1985", "3rd of March 1985"),
            ("born on March 3, 1985", "March 3, 1985"),
            ("d.o.b. 1985-03-12", "1985-03-12"),
            ("Born: 3 Sept 1990", "3 Sept 1990"),
        ] {
            assert_eq!(kinds_in(line), vec![(Kind::DateOfBirth, date)], "{line}");
        }
        for not in [
            "we met on 12/03/2024",
            "born and raised in Leeds on 12/03/2024",
            "born in 1985",
            "a reborn 12/03/1985",
        ] {
            assert!(find(not).is_empty(), "{not}");
        }
    }

    #[test]
    fn ordinary_numbers_do_not_warn() {
        for text in [
            "I have worked here for 10 years and support 12 people.",
            "Shifts run 09:00 to 17:30, 37.5 hours a week, £1,250 a month.",
            "Between 2019 and 2024 I ran 300 groups; 2019-2021 was hardest.",
            "Room 101, floor 3, 1 in 4 people, 0.5 FTE, 100% attendance.",
            "I met my manager on 12/03/2024 at 10am.",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", kinds_in(text));
        }
    }

    #[test]
    fn findings_never_span_lines_and_sit_on_char_boundaries() {
        let text = "café 07700\n900123 ü AB123456C é";
        for f in find(text) {
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
            assert!(!text[f.range].contains('\n'));
        }
    }

    #[test]
    fn describe_lists_kinds_in_words() {
        assert_eq!(describe(&[]), "");
        assert_eq!(describe(&[Kind::Phone]), "a phone number");
        assert_eq!(
            describe(&[Kind::NhsNumber, Kind::Phone, Kind::Postcode]),
            "an NHS number, a phone number and a postcode"
        );
        let f = find("07700 900123 or 07700 900124, LS1 4AP");
        assert_eq!(kinds(&f), vec![Kind::Phone, Kind::Postcode]);
    }

    #[test]
    fn never_panics_on_edges() {
        for text in [
            "",
            "+",
            "+44",
            "(0",
            "@",
            "a@",
            "d.o",
            "born",
            "DOB 12/",
            "AB12",
            "0",
            "07700 9001",
            "\u{a3}07700900123",
        ] {
            let _ = find(text);
        }
    }
}
