//! `--columns name=名字,mobile=电话,id=证件号码`: which column holds which field, for headers
//! the built-in names do not cover.

use crate::fields::Field;
use std::fmt;
use std::str::FromStr;

/// Columns chosen by the user, field by field; fields not named keep the built-in header
/// names ([`Field::aliases`]). Parse one from `name=名字,mobile=电话,id=证件号码`.
///
/// ```
/// use shiming_batch_input::{ColumnMap, Field};
/// let map: ColumnMap = "name=名字, id=证件号码".parse()?;
/// assert_eq!(map.get(Field::Name), Some("名字"));
/// assert_eq!(map.get(Field::Mobile), None);
/// # Ok::<(), shiming_batch_input::ColumnMapError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    chosen: Vec<(Field, String)>,
}

impl ColumnMap {
    /// The header the user chose for `field`, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.chosen
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, h)| h.as_str())
    }

    /// No field chosen.
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }
}

/// Why a `--columns` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapError(String);

impl fmt::Display for ColumnMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ColumnMapError {}

impl FromStr for ColumnMap {
    type Err = ColumnMapError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |why: String| {
            Err(ColumnMapError(format!(
                "{why}; write FIELD=HEADER pairs separated by commas, FIELD one of name, \
                 mobile, id (e.g. name=名字,mobile=电话,id=证件号码)"
            )))
        };
        let mut chosen: Vec<(Field, String)> = Vec::new();
        for pair in text.split([',', '，']).filter(|p| !p.trim().is_empty()) {
            let Some((key, header)) = pair.split_once('=') else {
                return fail(format!("`{}` has no `=`", pair.trim()));
            };
            let Some(field) = Field::from_key(key) else {
                return fail(format!("`{}` is not a field", key.trim()));
            };
            let header = header.trim();
            if header.is_empty() {
                return fail(format!("`{}=` names no column", key.trim()));
            }
            if chosen.iter().any(|(f, _)| *f == field) {
                return fail(format!("{} is given twice", field.as_str()));
            }
            chosen.push((field, header.to_string()));
        }
        if chosen.is_empty() {
            return fail("no column given".to_string());
        }
        Ok(ColumnMap { chosen })
    }
}

/// `#[arg(long)] columns: Option<ColumnMap>` works in a clap derive as it stands.
#[cfg(feature = "clap")]
impl clap::builder::ValueParserFactory for ColumnMap {
    type Parser = fn(&str) -> Result<ColumnMap, ColumnMapError>;

    fn value_parser() -> Self::Parser {
        str::parse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs() {
        let map: ColumnMap = "name=名字,mobile=电话,id=证件号码".parse().expect("parses");
        assert_eq!(map.get(Field::Name), Some("名字"));
        assert_eq!(map.get(Field::Mobile), Some("电话"));
        assert_eq!(map.get(Field::IdNumber), Some("证件号码"));
        let wide: ColumnMap = " id_number = 证件 ，".parse().expect("parses");
        assert_eq!(wide.get(Field::IdNumber), Some("证件"));
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        for (bad, says) in [
            ("", "no column given"),
            ("name", "`name` has no `=`"),
            ("phone=电话", "`phone` is not a field"),
            ("name=", "`name=` names no column"),
            ("name=a,name=b", "name is given twice"),
        ] {
            let err = bad.parse::<ColumnMap>().expect_err(bad).to_string();
            assert!(err.starts_with(says), "{bad}: {err}");
        }
    }
}
