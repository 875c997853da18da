//! Parsing of ПОС appeal cards.
