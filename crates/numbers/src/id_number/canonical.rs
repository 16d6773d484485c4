//! One key per person for duplicate matching: the 15-digit and 18-digit forms of one number
//! are the same person.

use super::analyse::upgrade_body;
use super::scan::Scan;
use crate::checksum::check_char;

/// The 18-character form of an ID number, for matching duplicates: a 15-digit number is
/// upgraded (`19` before its birth year, the check character computed), an 18-character one
/// comes back with whitespace dropped, full-width digits folded and `x` upper-cased.
///
/// `None` when the input is neither 15 digits nor 17 digits and its correct check character:
/// such a number cannot be checked anyway, so it keys on itself. Only the structure is
/// looked at (no region, no date); validate with [`super::check`] first.
///
/// ```
/// use shiming_numbers::id_number::canonical_key;
/// assert_eq!(canonical_key("110105491231002").as_deref(), Some("11010519491231002X"));
/// assert_eq!(canonical_key(" 11010519491231002x").as_deref(), Some("11010519491231002X"));
/// assert_eq!(canonical_key("110105194912310020"), None); // wrong check character
/// ```
pub fn canonical_key(input: &str) -> Option<String> {
    let scan = Scan::new(input);
    let full: [u8; 18] = match scan.len {
        15 => {
            let body = upgrade_body(&scan)?;
            let mut full = [0u8; 18];
            full[..17].copy_from_slice(&body);
            full[17] = check_char(&body)?;
            full
        }
        18 if scan.bad.is_none() && check_char(&scan.chars[..17]) == Some(scan.chars[17]) => {
            scan.chars
        }
        _ => return None,
    };
    String::from_utf8(full.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::canonical_key;

    #[test]
    fn fifteen_and_eighteen_digit_forms_share_a_key() {
        // 110105 49 12 31 002 → 110105 1949 12 31 002 + check character.
        let old = canonical_key("110105491231002");
        assert_eq!(old.as_deref(), Some("11010519491231002X"));
        assert_eq!(canonical_key("11010519491231002x"), old);
        assert_eq!(canonical_key("１１０１０５４９１２３１００２"), old);
    }

    #[test]
    fn unusable_numbers_have_no_key() {
        assert_eq!(canonical_key(""), None);
        assert_eq!(canonical_key("11010549123100X"), None);
        assert_eq!(canonical_key("11010519491231002"), None);
        assert_eq!(canonical_key("11010519491231002A"), None);
        assert_eq!(canonical_key("110105194912310020"), None);
        assert_eq!(canonical_key("110105194912310021"), None);
    }
}
