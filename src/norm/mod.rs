//! Normalisation and validation of personal data values.
//!
//! One submodule per kind of value on a card ([`crate::field::Field`]): each reads the many
//! ways a value is written in СГО exports and Госуслуги data, checks it, explains problems in
//! Russian for the officer, and writes a corrected value back in the column's own style.
//! Everything here is pure: no I/O, and no function panics on any input.

pub mod date;
pub mod email;
pub mod fio;
pub mod phone;
pub mod sex;
pub mod similarity;
pub mod snils;
