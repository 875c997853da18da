//! Normalisation and validation of personal data values.
//!
//! One submodule per kind of value on a card (a field such as ФИО, СНИЛС, phone): each reads the many
//! ways a value is written in СГО exports and Госуслуги data, checks it, explains problems in
//! Russian for the officer, and writes a corrected value back in the column's own style.
//! Everything here is pure: no I/O, and no function panics on any input.
//!
//! A crate of its own, below everything of sverka but the file format: it knows values, not
//! cards, sheets or appeals (enforced by the compiler — it depends on no other sverka crate).

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

pub mod date;
pub mod email;
pub mod fio;
pub mod phone;
pub mod sex;
pub mod similarity;
pub mod snils;
