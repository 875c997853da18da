//! Matching quality on a synthetic sample (every error kind of the generator, including kinds
//! the fixtures lack). The full-size run is `cargo run --release --example quality`.

use sverka_testkit::quality::evaluate;
use sverka_testkit::synth::{ErrorKind, SynthConfig};

#[test]
fn synthetic_sample_meets_the_thresholds() {
    let report = evaluate(&SynthConfig {
        seed: 11,
        pupils: 2_000,
        appeals: 1_000,
        ..SynthConfig::default()
    });
    println!("{}", report.table());
    assert!(report.present > 800 && report.absent > 50, "{report:?}");
    assert!(
        report.top1_accuracy() >= 0.99,
        "top-1 {}",
        report.top1_accuracy()
    );
    assert_eq!(
        report.false_matches, 0,
        "an absent person was matched to someone else"
    );
    for kind in ErrorKind::ALL {
        let c = report
            .per_kind
            .get(kind.name())
            .copied()
            .unwrap_or_default();
        assert!(
            c.tp + c.fn_ >= 5,
            "{}: too few cases ({})",
            kind.name(),
            c.tp + c.fn_
        );
        assert!(c.recall() >= 0.97, "{}: recall {}", kind.name(), c.recall());
        let named = report
            .kind_named
            .get(kind.name())
            .copied()
            .unwrap_or_default();
        assert!(
            named.recall() >= 0.95,
            "{}: kind named {}",
            kind.name(),
            named.recall()
        );
    }
    for (field, c) in &report.per_field {
        assert!(
            c.precision() >= 0.99,
            "{field}: precision {}",
            c.precision()
        );
    }
}
