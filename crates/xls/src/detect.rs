//! Recognises what a file really is from its first bytes, whatever its name says.

/// The kind of content found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Empty,
    /// OLE2 compound file (`D0 CF 11 E0 …`): Excel 97-2003, but also Word, encrypted OOXML, …
    Ole,
    /// A zip container holding an Office Open XML workbook.
    Xlsx,
    /// A zip container holding an OpenDocument spreadsheet.
    Ods,
    /// Any other zip archive.
    Zip,
    Html,
    Xml,
    Text,
    /// A bare BIFF2–BIFF5 stream without the OLE container: Excel 2.x–4.0 (or a worksheet
    /// file of Excel 5.0/95).
    OldBiff,
    Unknown,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Looks at the content of a file and says what it is.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Sniffed::Ole;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if is_old_biff(bytes) {
        return Sniffed::OldBiff;
    }
    let head = text_head(bytes);
    let lower = head.to_lowercase();
    let trimmed = lower.trim_start();
    if trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || lower.contains("<html")
        || lower.contains("<table")
    {
        return Sniffed::Html;
    }
    if trimmed.starts_with("<?xml") || trimmed.starts_with('<') {
        return Sniffed::Xml;
    }
    if looks_like_text(bytes) {
        return Sniffed::Text;
    }
    Sniffed::Unknown
}

/// A BOF record of BIFF2 (0x0009), BIFF3 (0x0209), BIFF4 (0x0409) or BIFF5 (0x0809) at the
/// very start, with the length such a record has (4 to 16 bytes).
fn is_old_biff(bytes: &[u8]) -> bool {
    match bytes {
        [0x09, hi, len_lo, 0x00, ..] => {
            matches!(hi, 0x00 | 0x02 | 0x04 | 0x08) && (4..=16).contains(len_lo)
        }
        _ => false,
    }
}

/// Zip members named in the central directory tell xlsx from ods from any other archive.
fn sniff_zip(bytes: &[u8]) -> Sniffed {
    let window = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or(bytes);
    let has = |needle: &[u8]| window.windows(needle.len()).any(|w| w == needle);
    let tail_start = bytes.len().saturating_sub(64 * 1024);
    let tail = bytes.get(tail_start..).unwrap_or(&[]);
    let tail_has = |needle: &[u8]| tail.windows(needle.len()).any(|w| w == needle);
    if has(b"xl/") || tail_has(b"xl/workbook.xml") || has(b"[Content_Types].xml") {
        Sniffed::Xlsx
    } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        Sniffed::Ods
    } else {
        Sniffed::Zip
    }
}

/// The first kilobytes as text (UTF-8, UTF-16 or single-byte), BOM removed.
fn text_head(bytes: &[u8]) -> String {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    if let Some(rest) = head.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .filter_map(|c| Some(u16::from_le_bytes(c.try_into().ok()?)))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    String::from_utf8_lossy(head).into_owned()
}

/// Text has no NUL bytes and few control characters (UTF-8 or a single-byte code page).
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if head.is_empty() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    control * 100 <= head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        let cases: &[(&[u8], Sniffed)] = &[
            (b"", Sniffed::Empty),
            (&OLE_MAGIC, Sniffed::Ole),
            (b"<!DOCTYPE html>\n<html>", Sniffed::Html),
            (b"  <HTML><body>", Sniffed::Html),
            (b"<?xml version=\"1.0\"?><Workbook>", Sniffed::Xml),
            ("Фамилия;Имя\nИванов;Иван\n".as_bytes(), Sniffed::Text),
            (b"\xEF\xBB\xBFa,b,c\n1,2,3", Sniffed::Text),
            (b"PK\x03\x04....xl/workbook.xml", Sniffed::Xlsx),
            (
                b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
                Sniffed::Ods,
            ),
            (b"PK\x03\x04hello.txt", Sniffed::Zip),
            (&[0u8, 1, 2, 3, 0, 0, 0, 9, 0xFF], Sniffed::Unknown),
            (&[0x09, 0x04, 0x06, 0x00, 0, 0, 0x10, 0], Sniffed::OldBiff),
            (&[0x09, 0x02, 0x06, 0x00, 0, 0, 0x10, 0], Sniffed::OldBiff),
            (&[0x09, 0x00, 0x04, 0x00, 2, 0, 0x10, 0], Sniffed::OldBiff),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn bad_fixtures_are_told_apart() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/bad/");
        let read = |name: &str| std::fs::read(format!("{dir}{name}")).unwrap_or_default();
        assert_eq!(sniff(&read("xlsx_renamed.xls")), Sniffed::Xlsx);
        assert_eq!(sniff(&read("html_renamed.xls")), Sniffed::Html);
        assert_eq!(sniff(&read("csv_renamed.xls")), Sniffed::Text);
        assert_eq!(sniff(&read("empty.xls")), Sniffed::Empty);
        assert_eq!(sniff(&read("truncated.xls")), Sniffed::Ole);
    }
}
