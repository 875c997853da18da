//! Test and benchmark support for sverka, kept out of the shipped library: synthetic СГО-like
//! exports and ПОС appeals with their ground truth ([`synth`]), and the matching-quality harness
//! that runs the real pipeline on them ([`quality`]). Used by the integration tests, the
//! benchmark and the quality report (`examples/`), as a dev-dependency only.

#![warn(missing_docs)]

pub mod quality;
pub mod synth;
