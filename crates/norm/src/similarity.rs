//! Jaro-Winkler similarity of two names, the same figure as `strsim::jaro_winkler`, computed
//! on the stack for names of up to 64 characters: matching compares an appeal with thousands
//! of candidates, and the general version decodes the second name again for every character
//! of the first and allocates on every call.

/// Longest names handled on the stack; longer ones go to `strsim`.
const MAX: usize = 64;

/// Jaro-Winkler similarity in 0..=1 (1 = equal).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let mut a_chars = ['\0'; MAX];
    let mut b_chars = ['\0'; MAX];
    let (Some(a_len), Some(b_len)) = (fill(&mut a_chars, a), fill(&mut b_chars, b)) else {
        return strsim::jaro_winkler(a, b);
    };
    let a = a_chars.get(..a_len).unwrap_or(&[]);
    let b = b_chars.get(..b_len).unwrap_or(&[]);
    let sim = jaro(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// The characters of `s` into `out`; `None` when there are more than fit.
fn fill(out: &mut [char; MAX], s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *out.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// Jaro similarity: characters matching within half the longer length, less half the
/// matched characters that come in another order.
fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_flags = [false; MAX];
    let mut b_flags = [false; MAX];
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b.len().min(i + range + 1);
        for j in lo..hi {
            if b.get(j) == Some(x) && b_flags.get(j) == Some(&false) {
                if let Some(f) = a_flags.get_mut(i) {
                    *f = true;
                }
                if let Some(f) = b_flags.get_mut(j) {
                    *f = true;
                }
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_matched = a.iter().zip(a_flags).filter(|(_, f)| *f).map(|(c, _)| c);
    let b_matched = b.iter().zip(b_flags).filter(|(_, f)| *f).map(|(c, _)| c);
    let transpositions = a_matched.zip(b_matched).filter(|(x, y)| x != y).count() / 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same figure as strsim, bit for bit, on names of every length and alphabet.
    #[test]
    fn equals_strsim() {
        let alphabet: Vec<char> = "аеиоснтрАБВёЁ-' abcXY李".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut word = |len: usize| -> String {
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        };
        let mut pairs = vec![
            ("Иванов".to_string(), "Иваонв".to_string()),
            ("Марина".into(), "Марина".into()),
            (String::new(), String::new()),
            (String::new(), "а".into()),
            ("Римская-Корсакова".into(), "Корсакова".into()),
        ];
        for k in 0..3_000 {
            let (la, lb) = (k % 23, (k / 23) % 29);
            let a = word(la);
            // Half the pairs are near copies, so that matches and transpositions occur.
            let b = if k % 2 == 0 {
                let mut b: Vec<char> = a.chars().collect();
                if b.len() > 2 {
                    b.swap(0, 1);
                    b.pop();
                }
                b.into_iter().collect()
            } else {
                word(lb)
            };
            pairs.push((a, b));
        }
        pairs.push(("я".repeat(70), "я".repeat(69)));
        for (a, b) in &pairs {
            let ours = jaro_winkler(a, b);
            let theirs = strsim::jaro_winkler(a, b);
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{a:?} / {b:?}");
        }
    }
}
