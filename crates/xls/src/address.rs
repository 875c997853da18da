//! Cell addresses as Excel writes them: column letters and A1 names of 0-based cells.

/// A1-style name of a 0-based cell, for messages: (0, 0) → "A1".
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

/// Excel column letters of a 0-based column: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(4, 25), "Z5");
        assert_eq!(a1(65535, 26), "AA65536");
        assert_eq!(a1(0, 255), "IV1");
    }
}
