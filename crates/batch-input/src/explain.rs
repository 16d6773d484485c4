//! Number cells that a spreadsheet has already damaged, explained.

/// Why `cell` cannot be a mobile or ID number because a spreadsheet rewrote it, or `None`.
///
/// A long number shown in scientific notation (`1.38001E+10`) was rounded to the digits
/// shown when a spreadsheet saved it as CSV: the missing digits are gone. The explanation
/// says how to fix the column and never repeats the cell.
///
/// ```
/// use shiming_batch_input::explain_number_cell;
/// assert!(explain_number_cell("1.38001E+10").is_some());
/// assert!(explain_number_cell(" 1.10105E+17 ").is_some());
/// assert_eq!(explain_number_cell("13800138000"), None);
/// ```
pub fn explain_number_cell(cell: &str) -> Option<String> {
    is_scientific(cell.trim()).then(|| {
        "the number is written in scientific notation (like 1.38E+10): a spreadsheet showed \
         the long number in exponent form and saved it so, dropping digits; format the \
         column as text (设置单元格格式 → 文本), type or paste the numbers again, and export \
         once more"
            .to_string()
    })
}

/// `D[.D…]E[+|-]D…`, with `e` or `E`, full-width forms folded.
fn is_scientific(text: &str) -> bool {
    // Every row's number cells come here: most have no exponent mark at all.
    // (Full-width `ｅ` and `Ｅ` start with the byte 0xEF.)
    if !text.bytes().any(|b| matches!(b, b'e' | b'E' | 0xef)) {
        return false;
    }
    let folded: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' | '．' | 'Ｅ' | 'ｅ' | '＋' | '－' => {
                char::from_u32(u32::from(c) - 0xff01 + 0x21).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    let Some((mantissa, exponent)) = folded.split_once(['e', 'E']) else {
        return false;
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && whole.len() <= 2 && digits(fraction) && digits(exponent)
}

#[cfg(test)]
mod tests {
    use super::is_scientific;

    #[test]
    fn scientific_shapes() {
        for yes in [
            "1.38001E+10",
            "1.38E10",
            "1E+10",
            "1.10105E+17",
            "1.38e+10",
            "１．３８Ｅ＋１０",
        ] {
            assert!(is_scientific(yes), "{yes}");
        }
        for no in [
            "13800138000",
            "E+10",
            "1.38E",
            "1.38E+",
            "张三",
            "",
            "1.2.3E4",
            "x1E5",
        ] {
            assert!(!is_scientific(no), "{no}");
        }
    }
}
