//! Matching quality on synthetic data: generate an export and appeals ([`crate::synth`]), run
//! the real pipeline (appeal parser → schema → matching), and compare with the ground truth.
//! Used by the quality test (small sample, thresholds) and `examples/quality.rs` (≥ 5,000
//! appeals, printed table).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::synth::{ErrorKind, SynthConfig, generate};
use sverka::engine::Analysis;
use sverka::engine::Field;
use sverka::engine::parse_text;
use sverka::engine::{DiffKind, Status, Verdict};

/// Counts for one kind or field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives: reported and expected.
    pub tp: usize,
    /// False positives: reported, not expected.
    pub fp: usize,
    /// False negatives: expected, not reported.
    pub fn_: usize,
}

impl Counts {
    /// Share of reports that were expected: tp / (tp + fp), 1 when nothing was reported.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Share of expected cases reported: tp / (tp + fn_), 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// What an evaluation measured.
#[derive(Debug, Clone, Default)]
pub struct QualityReport {
    /// Appeals generated.
    pub appeals: usize,
    /// People the schema found in the export (pupils and parents).
    pub people: usize,
    /// Appeals whose person is in the export, and how many were matched to exactly them.
    pub present: usize,
    /// Present people matched to exactly the right person.
    pub top1: usize,
    /// Present people reported ambiguous / not found.
    pub ambiguous: usize,
    /// Present people not found, and appeals whose text did not parse.
    pub missed: usize,
    /// Appeals of absent people, and how many were (wrongly) matched to someone.
    pub absent: usize,
    /// Appeals of absent people matched to someone.
    pub false_matches: usize,
    /// Per injected kind: detected on the right field (tp) or not (fn_); fp unused.
    pub per_kind: BTreeMap<&'static str, Counts>,
    /// …and whether the reported kind was the expected one.
    pub kind_named: BTreeMap<&'static str, Counts>,
    /// Per field: reported differences against the truth.
    pub per_field: BTreeMap<&'static str, Counts>,
    /// Building the matcher's index of every person, and matching all appeals.
    pub index_time: Duration,
    /// Time taken to match all appeals.
    pub match_time: Duration,
}

impl QualityReport {
    /// Share of present people matched to exactly the right person (1 when none is present).
    pub fn top1_accuracy(&self) -> f64 {
        ratio(self.top1, self.present)
    }

    /// The report as a text table.
    pub fn table(&self) -> String {
        let mut t = format!(
            "людей в выгрузке: {}, обращений: {} (из них людей нет в выгрузке: {})\n",
            self.people, self.appeals, self.absent
        );
        t.push_str(&format!(
            "верный человек (top-1): {:.2}% ({} из {}); неоднозначно: {}, не найдено: {}; ложных совпадений для отсутствующих: {}\n",
            100.0 * self.top1_accuracy(),
            self.top1,
            self.present,
            self.ambiguous,
            self.missed,
            self.false_matches
        ));
        t.push_str(&format!(
            "индекс людей: {:.1} мс; сопоставление всех обращений: {:.1} мс\n\n",
            self.index_time.as_secs_f64() * 1000.0,
            self.match_time.as_secs_f64() * 1000.0
        ));
        t.push_str(&format!(
            "{:<18} {:>8} {:>10} {:>12}\n",
            "вид ошибки", "случаев", "полнота", "вид назван"
        ));
        for (k, c) in &self.per_kind {
            let named = self.kind_named.get(k).copied().unwrap_or_default();
            t.push_str(&format!(
                "{k:<18} {:>8} {:>9.2}% {:>11.2}%\n",
                c.tp + c.fn_,
                100.0 * c.recall(),
                100.0 * named.recall()
            ));
        }
        t.push_str(&format!(
            "\n{:<18} {:>10} {:>10}\n",
            "поле", "точность", "полнота"
        ));
        for (k, c) in &self.per_field {
            t.push_str(&format!(
                "{k:<18} {:>9.2}% {:>9.2}%\n",
                100.0 * c.precision(),
                100.0 * c.recall()
            ));
        }
        t
    }
}

/// The kinds sverka should name for an injected error.
pub fn expected_kinds(kind: ErrorKind) -> &'static [DiffKind] {
    match kind {
        ErrorKind::Homoglyph => &[DiffKind::Homoglyph],
        ErrorKind::YoE => &[DiffKind::YoE],
        ErrorKind::Spaces => &[DiffKind::Spaces],
        ErrorKind::Case => &[DiffKind::Case],
        ErrorKind::Typo => &[DiffKind::Typo],
        ErrorKind::NoPatronymic
        | ErrorKind::BirthMissing
        | ErrorKind::SnilsMissing
        | ErrorKind::PhoneMissing
        | ErrorKind::EmailMissing => &[DiffKind::Missing],
        ErrorKind::DayMonthSwap => &[DiffKind::DayMonthSwap],
        ErrorKind::YearOff => &[DiffKind::YearOff],
        ErrorKind::SexWrong | ErrorKind::EmailOther => &[DiffKind::Other],
        ErrorKind::SnilsDigit => &[DiffKind::OneDigit],
        ErrorKind::SnilsSwap => &[DiffKind::AdjacentSwap],
        ErrorKind::PhoneOther => &[DiffKind::Other, DiffKind::OneDigit, DiffKind::AdjacentSwap],
    }
}

fn field_key(f: Field) -> &'static str {
    f.label_ru()
}

/// Generates data for `cfg` and measures matching against its truth.
pub fn evaluate(cfg: &SynthConfig) -> QualityReport {
    let synth = generate(cfg);
    let grids = vec![synth.grid];
    let analysis = Analysis::run(
        &grids,
        &[],
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
    );
    let mut appeals = Vec::with_capacity(synth.appeals.len());
    let mut truth = Vec::with_capacity(synth.appeals.len());
    for (i, (text, t)) in synth.appeals.iter().zip(synth.truth).enumerate() {
        // The synthetic cards are well-formed; one that does not parse is a parser failure,
        // counted as a missed appeal below.
        if let Ok(mut list) = parse_text(text, &format!("synth {i}"))
            && let Some(a) = list.pop()
        {
            appeals.push(a);
            truth.push(t);
        }
    }
    let started = Instant::now();
    let matcher = sverka::engine::Matcher::new(&grids, &analysis.schema, &analysis.styles);
    let index_time = started.elapsed();
    let started = Instant::now();
    let results = matcher.match_all(&appeals);
    let match_time = started.elapsed();
    let outcomes: Vec<sverka::engine::Outcome> = appeals
        .into_iter()
        .zip(results)
        .map(|(appeal, result)| sverka::engine::Outcome {
            appeal,
            result,
            also_fields: Vec::new(),
            progress: Default::default(),
        })
        .collect();

    let mut r = QualityReport {
        appeals: synth.appeals.len(),
        people: analysis.schema.people.len(),
        match_time,
        index_time,
        ..QualityReport::default()
    };
    r.missed += synth.appeals.len() - outcomes.len();
    for (o, t) in outcomes.iter().zip(&truth) {
        let Some((row, group)) = t.place else {
            r.absent += 1;
            if o.result.status == Status::Matched {
                r.false_matches += 1;
            }
            continue;
        };
        r.present += 1;
        match o.result.status {
            Status::Ambiguous => r.ambiguous += 1,
            Status::NotFound => r.missed += 1,
            Status::Matched => {}
        }
        let person = o.result.person.and_then(|i| analysis.schema.person(i));
        let right = person.is_some_and(|p| p.row == row && p.group == group);
        if !right {
            for (_, kind) in &t.diffs {
                r.per_kind.entry(kind.name()).or_default().fn_ += 1;
            }
            continue;
        }
        r.top1 += 1;
        for f in &o.result.fields {
            let injected = t.diffs.iter().find(|d| d.0 == f.field);
            let reported = f.verdict != Verdict::Equal;
            let c = r.per_field.entry(field_key(f.field)).or_default();
            match (reported, injected) {
                (true, Some(_)) => c.tp += 1,
                (true, None) => c.fp += 1,
                (false, Some(_)) => c.fn_ += 1,
                (false, None) => {}
            }
            if let Some((_, kind)) = injected {
                let k = r.per_kind.entry(kind.name()).or_default();
                if reported {
                    k.tp += 1;
                } else {
                    k.fn_ += 1;
                }
                let named = r.kind_named.entry(kind.name()).or_default();
                if reported && expected_kinds(*kind).contains(&f.kind) {
                    named.tp += 1;
                } else {
                    named.fn_ += 1;
                }
            }
        }
    }
    r
}
