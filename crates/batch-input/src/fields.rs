//! The fields the checks use, and one row's values for them.

/// An input field the checks understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The person's name.
    Name,
    /// The mobile number.
    Mobile,
    /// The ID-card number.
    IdNumber,
}

impl Field {
    /// Every field, in the order JSON-lines input lays out its columns.
    pub const ALL: [Field; 3] = [Field::Name, Field::Mobile, Field::IdNumber];

    /// The canonical (English) column name.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Mobile => "mobile",
            Field::IdNumber => "id_number",
        }
    }

    /// Whether a header cell names this field (English, any case, or the usual Chinese
    /// headers), ignoring surrounding whitespace and a stray byte-order mark.
    pub fn matches_header(self, header: &str) -> bool {
        let h = header.trim().trim_start_matches('\u{feff}').trim();
        let aliases: &[&str] = match self {
            Field::Name => &["name", "姓名"],
            Field::Mobile => &["mobile", "手机号", "手机号码"],
            Field::IdNumber => &["id_number", "身份证号", "身份证号码"],
        };
        aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
    }
}

/// What one row asks: the fields, trimmed (absent ones empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInput {
    /// Name.
    pub name: String,
    /// Mobile number.
    pub mobile: String,
    /// ID number, `x` upper-cased.
    pub id_number: String,
}
