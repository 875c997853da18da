//! Matching quality benchmark on synthetic data: `cargo run --release --example quality --
//! [APPEALS] [PUPILS] [SEED]` (defaults: 5,000 appeals against 20,000 pupils with two parents
//! each). Prints top-1 accuracy and per-kind / per-field precision and recall.

use sverka_testkit::quality::evaluate;
use sverka_testkit::synth::SynthConfig;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let cfg = SynthConfig {
        appeals: num(1, 5_000),
        pupils: num(2, 20_000),
        seed: num(3, 2026) as u64,
        ..SynthConfig::default()
    };
    let report = evaluate(&cfg);
    print!("{}", report.table());
}
