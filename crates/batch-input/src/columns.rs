//! Where the fields the checks use live among an input's columns.

use crate::column_map::ColumnMap;
use crate::fields::{CheckInput, Field, same_header};
use crate::input::InputError;

/// Where one field lives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// In this column.
    At(usize),
    /// No column names it.
    Missing,
    /// Several columns name it (their indexes): which one is meant is for the user to say.
    Ambiguous(Vec<usize>),
    /// `--columns` chose a header the input does not have.
    ChosenMissing(String),
}

/// The input's column names and where the fields the checks use live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Column names in input (and output) order.
    pub names: Vec<String>,
    slots: [Slot; 3],
}

impl Columns {
    /// Finds the fields among `names` by their built-in header names ([`Field::aliases`]).
    /// Two columns naming one field leave it unresolved; [`Columns::require`] says so.
    pub fn new(names: Vec<String>) -> Self {
        Self::with_map(names, &ColumnMap::default())
    }

    /// Finds the fields among `names`: a field `map` chooses lives in the column of that
    /// header; the others by their built-in header names. Use the same `map` when the
    /// header is read back (a resumed job).
    pub fn with_map(names: Vec<String>, map: &ColumnMap) -> Self {
        let slot = |field: Field| {
            let found: Vec<usize> = match map.get(field) {
                Some(chosen) => names
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| same_header(chosen, h))
                    .map(|(i, _)| i)
                    .collect(),
                None => names
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| field.matches_header(h))
                    .map(|(i, _)| i)
                    .collect(),
            };
            match (found.as_slice(), map.get(field)) {
                ([one], _) => Slot::At(*one),
                ([], Some(chosen)) => Slot::ChosenMissing(chosen.to_string()),
                ([], None) => Slot::Missing,
                _ => Slot::Ambiguous(found),
            }
        };
        Columns {
            slots: Field::ALL.map(slot),
            names,
        }
    }

    fn slot(&self, field: Field) -> &Slot {
        match field {
            Field::Name => &self.slots[0],
            Field::Mobile => &self.slots[1],
            Field::IdNumber => &self.slots[2],
        }
    }

    /// The column index of `field`, if exactly one column holds it.
    pub fn index(&self, field: Field) -> Option<usize> {
        match self.slot(field) {
            Slot::At(i) => Some(*i),
            _ => None,
        }
    }

    /// Fails naming each problem when `fields` are not all found: missing, held by two
    /// columns, or chosen with `--columns` but absent. `what` names the thing that needs
    /// them in the message, e.g. `--check mobile`.
    pub fn require(&self, what: &str, fields: &[Field]) -> Result<(), InputError> {
        let missing: Vec<&str> = fields
            .iter()
            .filter(|f| *self.slot(**f) == Slot::Missing)
            .map(|f| f.as_str())
            .collect();
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!(
                "{what} needs the column(s) {} (or 姓名 / 手机号 / 身份证号, or choose with \
                 --columns)",
                missing.join(", "),
            ));
        }
        for field in fields {
            match self.slot(*field) {
                Slot::Ambiguous(at) => {
                    let named: Vec<String> = at
                        .iter()
                        .map(|i| format!("`{}`", shown(&self.names[*i])))
                        .collect();
                    problems.push(format!(
                        "the columns {} all hold the {}; keep one, or choose with --columns \
                         {}=HEADER",
                        named.join(", "),
                        field.as_str(),
                        field.as_str(),
                    ));
                }
                Slot::ChosenMissing(chosen) => problems.push(format!(
                    "--columns chose `{}` for the {}, but no column is named so",
                    shown(chosen),
                    field.as_str()
                )),
                Slot::At(_) | Slot::Missing => {}
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        // A file without a header row has a person where the header should be: mask digit
        // runs so the message does not spell out their number.
        let found: Vec<String> = self.names.iter().map(|n| shown(n)).collect();
        Err(InputError::new(format!(
            "{}; the header has: {}",
            problems.join("; "),
            found.join(", "),
        )))
    }

    /// The fields from one row's values, trimmed; the name in the one spelling sent and
    /// matched for duplicates (`shiming_numbers::name::normalize`: `•` and its look-alikes
    /// become `·`, full-width letters ASCII, no spaces in a Han name); `x` in ID numbers
    /// upper-cased.
    pub fn extract(&self, values: &[String]) -> CheckInput {
        let get = |field: Field| {
            self.index(field)
                .and_then(|i| values.get(i))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        CheckInput {
            name: shiming_numbers::name::normalize(&get(Field::Name)).into_owned(),
            mobile: get(Field::Mobile),
            id_number: get(Field::IdNumber).to_ascii_uppercase(),
        }
    }
}

/// A header name as messages show it: digit runs masked, at most 40 characters.
pub(crate) fn shown(name: &str) -> String {
    let masked = mask_digit_runs(name);
    if masked.chars().count() > 40 {
        masked.chars().take(39).chain(['…']).collect()
    } else {
        masked
    }
}

/// Runs of 7 or more digits (mobile and ID numbers) keep their first 3 and last 2 digits; the
/// rest become `*`. Shorter runs (years, counts) stay as they are.
pub(crate) fn mask_digit_runs(text: &str) -> String {
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
        for (text, masked) in [
            ("张三", "张三"),
            ("note 2024", "note 2024"),
            ("13800138000", "138******00"),
            ("11010519491231002X", "110************02X"),
            ("a1234567b", "a123**67b"),
        ] {
            assert_eq!(mask_digit_runs(text), masked, "{text}");
        }
    }
}
