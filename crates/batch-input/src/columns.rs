//! Where the fields the checks use live among an input's columns.

use crate::fields::{CheckInput, Field};
use crate::reader::InputError;

/// The input's column names and where the fields the checks use live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Column names in input (and output) order.
    pub names: Vec<String>,
    name: Option<usize>,
    mobile: Option<usize>,
    id_number: Option<usize>,
}

impl Columns {
    /// Finds the fields among `names` (English or Chinese headers); the first match wins.
    pub fn new(names: Vec<String>) -> Self {
        let find = |field: Field| names.iter().position(|h| field.matches_header(h));
        Columns {
            name: find(Field::Name),
            mobile: find(Field::Mobile),
            id_number: find(Field::IdNumber),
            names,
        }
    }

    /// The column index of `field`, if the input has it.
    pub fn index(&self, field: Field) -> Option<usize> {
        match field {
            Field::Name => self.name,
            Field::Mobile => self.mobile,
            Field::IdNumber => self.id_number,
        }
    }

    /// Fails naming the missing fields when `fields` are not all present. `what` names the
    /// thing that needs them in the message, e.g. `--check mobile`.
    pub fn require(&self, what: &str, fields: &[Field]) -> Result<(), InputError> {
        let missing: Vec<&str> = fields
            .iter()
            .filter(|f| self.index(**f).is_none())
            .map(|f| f.as_str())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        // Mojibake or non-ASCII headers with no match: most often a GBK file read as UTF-8.
        let hint = if self
            .names
            .iter()
            .any(|n| n.contains('\u{fffd}') || !n.is_ascii())
        {
            " — if this is an Excel export, try --encoding gbk"
        } else {
            ""
        };
        // A file without a header row has a person where the header should be: mask digit
        // runs so the message does not spell out their number.
        let found: Vec<String> = self.names.iter().map(|n| mask_digit_runs(n)).collect();
        Err(InputError::new(format!(
            "{what} needs the column(s) {} (or 姓名 / 手机号 / 身份证号); the header has: {}{hint}",
            missing.join(", "),
            found.join(", "),
        )))
    }

    /// The fields from one row's values, trimmed; `x` in ID numbers upper-cased.
    pub fn extract(&self, values: &[String]) -> CheckInput {
        let get = |field: Field| {
            self.index(field)
                .and_then(|i| values.get(i))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        CheckInput {
            name: get(Field::Name),
            mobile: get(Field::Mobile),
            id_number: get(Field::IdNumber).to_ascii_uppercase(),
        }
    }
}

/// Runs of 7 or more digits (mobile and ID numbers) keep their first 3 and last 2 digits; the
/// rest become `*`. Shorter runs (years, counts) stay as they are.
fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        for (k, c) in chars[i..i + run].iter().enumerate() {
            let keep = run < 7 || k < 3 || k >= run - 2;
            out.push(if keep { *c } else { '*' });
        }
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask_digit_runs;

    #[test]
    fn long_digit_runs_are_masked() {
        assert_eq!(mask_digit_runs("张三"), "张三");
        assert_eq!(mask_digit_runs("note 2024"), "note 2024");
        assert_eq!(mask_digit_runs("13800138000"), "138******00");
        assert_eq!(mask_digit_runs("11010519491231002X"), "110************02X");
        assert_eq!(mask_digit_runs("a1234567b"), "a123**67b");
    }
}
