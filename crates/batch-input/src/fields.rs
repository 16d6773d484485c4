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

    /// The header names this field goes by without `--columns` (English in any case).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["name", "姓名", "名字", "真实姓名"],
            Field::Mobile => &[
                "mobile",
                "phone",
                "手机号",
                "手机号码",
                "手机",
                "电话",
                "电话号码",
                "联系电话",
            ],
            Field::IdNumber => &[
                "id_number",
                "身份证号",
                "身份证号码",
                "身份证",
                "证件号",
                "证件号码",
            ],
        }
    }

    /// Whether a header cell names this field (one of its [`Field::aliases`]), ignoring
    /// surrounding whitespace and a stray byte-order mark.
    pub fn matches_header(self, header: &str) -> bool {
        self.aliases().iter().any(|a| same_header(a, header))
    }

    /// The field a `--columns` key names: `name`, `mobile`, `id` or `id_number`.
    pub fn from_key(key: &str) -> Option<Field> {
        match key.trim() {
            "name" => Some(Field::Name),
            "mobile" => Some(Field::Mobile),
            "id" | "id_number" => Some(Field::IdNumber),
            _ => None,
        }
    }
}

/// Whether two header names are the same: surrounding whitespace and a stray byte-order mark
/// ignored, ASCII letters in any case.
pub(crate) fn same_header(a: &str, b: &str) -> bool {
    let clean = |h: &str| -> String { h.trim().trim_start_matches('\u{feff}').trim().to_string() };
    clean(a).eq_ignore_ascii_case(&clean(b))
}

/// What one row asks: the fields, trimmed (absent ones empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInput {
    /// Name, normalized (`shiming_numbers::name::normalize`).
    pub name: String,
    /// Mobile number.
    pub mobile: String,
    /// ID number, `x` upper-cased.
    pub id_number: String,
}
