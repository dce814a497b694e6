//! The confidentiality guard on test corpora: generated identifiers (valid NHS numbers with their
//! check digit, NI numbers, Ofcom drama phone numbers, invented postcodes, example.org addresses,
//! dates of birth) in learner-like sentences, and ordinary peer-worker answers that must not warn
//! (years, hours, money, counts, times, meeting dates, invalid NHS numbers). Prints precision and
//! recall and asserts each is at least 0.95.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::many_single_char_names
)]

use skills_scan::core::guard::{self, Kind};

/// A small deterministic generator (64-bit LCG), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn letter(&mut self, from: &str) -> char {
        let b = from.as_bytes();
        char::from(b[self.below(b.len() as u64) as usize])
    }
}

fn check_digit(nine: &[u32]) -> Option<u32> {
    let sum: u32 = nine.iter().zip((2..=10u32).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        10 => None,
        11 => Some(0),
        c => Some(c),
    }
}

fn nine_digits(r: &mut Rng) -> Vec<u32> {
    let mut d = vec![4 + r.below(4) as u32];
    d.extend((0..8).map(|_| r.below(10) as u32));
    d
}

fn layout(r: &mut Rng, digits: &str) -> String {
    match r.below(3) {
        0 => digits.to_string(),
        1 => format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]),
        _ => format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
    }
}

fn nhs(r: &mut Rng) -> String {
    loop {
        let d = nine_digits(r);
        if let Some(c) = check_digit(&d) {
            let s: String = d.iter().chain([c].iter()).map(u32::to_string).collect();
            return layout(r, &s);
        }
    }
}

/// Ten digits whose check digit is wrong.
fn invalid_nhs(r: &mut Rng) -> String {
    let d = nine_digits(r);
    let wrong = match check_digit(&d) {
        Some(c) => (c + 1 + r.below(9) as u32) % 10,
        None => r.below(10) as u32,
    };
    let s: String = d.iter().chain([wrong].iter()).map(u32::to_string).collect();
    layout(r, &s)
}

fn ni(r: &mut Rng) -> String {
    let first = "ABCEGHJKLMNOPRSTWXYZ";
    let second = "ABCEGHJKLMNPRSTWXYZ";
    let (a, b) = loop {
        let (a, b) = (r.letter(first), r.letter(second));
        let pair = format!("{a}{b}");
        if !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].contains(&pair.as_str()) {
            break (a, b);
        }
    };
    let d: Vec<u64> = (0..6).map(|_| r.below(10)).collect();
    let s = r.letter("ABCD");
    if r.below(2) == 0 {
        format!("{a}{b}{}{}{}{}{}{}{s}", d[0], d[1], d[2], d[3], d[4], d[5])
    } else {
        format!(
            "{a}{b} {}{} {}{} {}{} {s}",
            d[0], d[1], d[2], d[3], d[4], d[5]
        )
    }
}

fn phone(r: &mut Rng) -> String {
    let n = r.below(1000);
    match r.below(9) {
        0 => format!("07700 900{n:03}"),
        1 => format!("07700900{n:03}"),
        2 => format!("+44 7700 900{n:03}"),
        3 => format!("0113 496 0{n:03}"),
        4 => format!("0161 496 0{n:03}"),
        5 => format!("020 7946 0{n:03}"),
        6 => format!("01632 960{n:03}"),
        7 => format!("(01632) 960{n:03}"),
        _ => format!("+44 (0)20 7946 0{n:03}"),
    }
}

fn email(r: &mut Rng) -> String {
    let first = r.pick(&["sam", "alex", "jo", "priya", "tomasz", "ade", "kim"]);
    let last = r.pick(&["taylor", "morgan", "khan", "nowak", "okafor", "lee"]);
    match r.below(3) {
        0 => format!("{first}.{last}@example.org"),
        1 => format!("{first}{}@example.org", r.below(100)),
        _ => format!("{first}_{last}@mail.example.org"),
    }
}

/// An invented postcode of one of the six shapes, with letters the Royal Mail allows.
fn postcode(r: &mut Rng) -> String {
    let first = "ABCDEFGHJKLMNOPRSTUWYZ";
    let second = "ABCDEFGHKLMNOPQRSTUVWXY";
    let inward = "ABDEFGHJLNPQRSTUWXYZ";
    let a = r.letter(first);
    let b = r.letter(second);
    let n = r.below(10);
    let m = r.below(10);
    let x = r.letter("ABCDEFGHJKPSTUW");
    let y = r.letter("ABEHMNPRVWXY");
    let out = match r.below(6) {
        0 => format!("{a}{n}"),
        1 => format!("{a}{n}{m}"),
        2 => format!("{a}{b}{n}"),
        3 => format!("{a}{b}{n}{m}"),
        4 => format!("{a}{n}{x}"),
        _ => format!("{a}{b}{n}{y}"),
    };
    format!(
        "{out} {}{}{}",
        r.below(10),
        r.letter(inward),
        r.letter(inward)
    )
}

fn dob(r: &mut Rng) -> String {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let d = 1 + r.below(28);
    let m = 1 + r.below(12);
    let y = 1940 + r.below(66);
    let name = months[(m - 1) as usize];
    let th = match d {
        1 | 21 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    };
    match r.below(6) {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => format!("{d} {name} {y}"),
        2 => format!("{d}{th} {name} {y}"),
        3 => format!("{name} {d}, {y}"),
        4 => format!("{y}-{m:02}-{d:02}"),
        _ => format!("{d:02}-{m:02}-{:02}", y % 100),
    }
}

fn kind_of(tag: &str) -> Kind {
    match tag {
        "nhs" => Kind::NhsNumber,
        "ni" => Kind::NiNumber,
        "phone" => Kind::Phone,
        "email" => Kind::Email,
        "postcode" => Kind::Postcode,
        "dob" => Kind::DateOfBirth,
        other => panic!("unknown kind {other} in positive_templates.txt"),
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Ordinary answers generated around the numbers peer workers write every day.
fn generated_ordinary(r: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..60 {
        let n = 1 + r.below(40);
        let year = 1990 + r.below(36);
        out.push(match r.below(10) {
            0 => format!("I have been a peer worker for {n} years, since {year}."),
            1 => format!(
                "I work {n} hours a week and support {} people.",
                r.below(30)
            ),
            2 => format!(
                "The group costs £{},{:03} a year and runs {n} weeks.",
                r.below(9) + 1,
                r.below(1000)
            ),
            3 => format!(
                "We meet at {}:{:02} and finish at {}.{:02}.",
                8 + r.below(10),
                r.below(60),
                9 + r.below(9),
                r.below(60)
            ),
            4 => format!(
                "I had supervision on {:02}/{:02}/{year} and on {} March {year}.",
                1 + r.below(28),
                1 + r.below(12),
                1 + r.below(28)
            ),
            5 => format!("From {year} to {} I volunteered {n} times.", year + 2),
            6 => format!("I support {n} people; {}% attend every week.", r.below(100)),
            7 => format!(
                "Our old case reference {} was closed in {year}.",
                invalid_nhs(r)
            ),
            8 => format!("Ticket {} is about the broken laptop.", invalid_nhs(r)),
            _ => format!(
                "I did {n} of the {} modules, {}.5 hours each.",
                n + 10,
                r.below(5)
            ),
        });
    }
    out
}

#[test]
fn precision_and_recall_on_the_corpora() {
    let templates = std::fs::read_to_string("tests/fixtures/guard/positive_templates.txt")
        .expect("positive templates");
    let ordinary = std::fs::read_to_string("tests/fixtures/guard/ordinary_answers.txt")
        .expect("ordinary answers");
    let mut r = Rng(0x5ca1_ab1e);

    let (mut expected, mut true_pos, mut false_pos) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for line in lines(&templates) {
        let (tag, template) = line.split_once('\t').expect("kind<TAB>sentence");
        let kind = kind_of(tag);
        for _ in 0..40 {
            let detail = match kind {
                Kind::NhsNumber => nhs(&mut r),
                Kind::NiNumber => ni(&mut r),
                Kind::Phone => phone(&mut r),
                Kind::Email => email(&mut r),
                Kind::Postcode => postcode(&mut r),
                Kind::DateOfBirth => dob(&mut r),
            };
            let at = template.find("{}").expect("a {} in the template");
            let text = template.replacen("{}", &detail, 1);
            let want = at..at + detail.len();
            expected += 1;
            let found = guard::find(&text);
            let mut hit = false;
            for f in &found {
                if f.kind == kind && f.range == want {
                    hit = true;
                    true_pos += 1;
                } else {
                    false_pos += 1;
                    misses.push(format!("extra {:?} in {text:?}", f.kind));
                }
            }
            if !hit {
                misses.push(format!("missed {kind:?} {detail:?} in {text:?}"));
            }
        }
    }

    let mut negatives: Vec<String> = lines(&ordinary).map(String::from).collect();
    negatives.extend(generated_ordinary(&mut r));
    let mut warned = 0;
    for text in &negatives {
        let found = guard::find(text);
        if !found.is_empty() {
            warned += 1;
        }
        for f in found {
            false_pos += 1;
            misses.push(format!(
                "false {:?} {:?} in {text:?}",
                f.kind, &text[f.range]
            ));
        }
    }

    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / expected.max(1) as f64;
    println!(
        "guard corpora: {expected} sentences each with one identifier, {} ordinary answers",
        negatives.len()
    );
    println!(
        "found {true_pos}, missed {}, false alarms {false_pos} ({warned} ordinary answers warned)",
        expected - true_pos
    );
    println!("precision {precision:.3}, recall {recall:.3}");
    for m in &misses {
        println!("  {m}");
    }
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}
