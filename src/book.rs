//! Workbook grid and edits.
