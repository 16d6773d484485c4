//! Masking of personal data for logs: 张*, 186****8888, 110105********002X.
//!
//! Masking keeps just enough to tell records apart when debugging (surname, number prefix and
//! suffix) and never the whole value. Every layer that logs personal data goes through here, so
//! the rule is written once.

/// Masks a person's name: the first character stays, every other becomes `*` (`张三丰` → `张**`).
pub fn name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            let mut out = String::with_capacity(first.len_utf8() + rest);
            out.push(first);
            out.extend(std::iter::repeat_n('*', rest));
            out
        }
    }
}

/// Masks a mobile number: first three and last four digits stay (`18612348888` → `186****8888`).
///
/// Anything that is not 11 characters long keeps only its first and last character.
pub fn mobile(mobile: &str) -> String {
    keep_ends(mobile.trim(), 3, 4)
}

/// Masks an ID number: the 6-digit region and last four characters stay
/// (`11010519491231002X` → `110105********002X`).
pub fn id_number(id: &str) -> String {
    keep_ends(id.trim(), 6, 4)
}

/// Keeps `head` leading and `tail` trailing characters and stars the middle; values too short to
/// hide anything that way keep only their first and last character.
fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let len = chars.len();
    let (head, tail) = if len > head + tail {
        (head, tail)
    } else if len > 2 {
        (1, 1)
    } else {
        (0, 0)
    };
    let mut out = String::with_capacity(value.len());
    for (i, c) in chars.iter().enumerate() {
        if i < head || i >= len - tail {
            out.push(*c);
        } else {
            out.push('*');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_like_the_brief() {
        assert_eq!(super::name("张三"), "张*");
        assert_eq!(super::name("欧阳娜娜"), "欧***");
        assert_eq!(super::name("王"), "王*");
        assert_eq!(super::mobile("18612348888"), "186****8888");
        assert_eq!(super::id_number("11010519491231002X"), "110105********002X");
        assert_eq!(super::mobile("12"), "**");
        assert_eq!(super::mobile("123"), "1*3");
        assert_eq!(super::id_number(""), "");
    }
}
