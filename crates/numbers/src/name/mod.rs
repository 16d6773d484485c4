//! People's names as identity documents print them: the offline refusal of a name no person
//! carries ([`check`]) and the one spelling sent and matched for duplicates ([`normalize`]).
//!
//! The rule and its sources are in `docs/names.md`. In short: a name is either written in
//! Han characters, with the separator `·` (U+00B7) between the parts of an ethnic-minority
//! or transliterated name, or in Latin letters with spaces, commas, hyphens, apostrophes and
//! full stops, as a foreigner's permanent residence ID card prints it; never both, never a
//! digit, a control or bidi character, or a leading formula character (`=` `+` `-` `@`);
//! at most [`MAX_CHARS`] characters.
//!
//! ```
//! use shiming_numbers::name::{self, NameProblem};
//! assert_eq!(name::normalize(" 阿依古丽•买买提 "), "阿依古丽·买买提");
//! assert_eq!(name::check("阿依古丽•买买提"), Ok(()));
//! assert_eq!(name::check("=HYPERLINK(1)"), Err(NameProblem::FormulaStart { found: '=' }));
//! assert_eq!(name::clean("ＪＯＨＮ  SMITH").as_deref(), Ok("JOHN SMITH"));
//! ```

mod chars;
mod problem;

pub use problem::NameProblem;

use chars::{Class, classify, fold};
use std::borrow::Cow;

/// The most characters a name may have once normalized. The 2016 twelve-department notice
/// (民委发〔2016〕33号) asks systems to hold at least 50 characters (25 Han characters); the
/// longest Han-ethnicity name on record in 2007 had 15. Sixty-four leaves room above both.
pub const MAX_CHARS: usize = 64;

/// The name separator identity records print (GB 13000 U+00B7, GB 18030 A1A4).
pub const SEPARATOR: char = '\u{b7}';

/// The spelling to send and to match duplicates on.
///
/// - Each character is folded first: the middle-dot look-alikes (`•` U+2022, `・` U+30FB,
///   `．` U+FF0E, `‧` U+2027, `⋅` U+22C5, `∙` U+2219, `･` U+FF65) become `·` U+00B7;
///   full-width ASCII forms (U+FF01–U+FF5E) become ASCII; the ideographic space U+3000 a
///   space.
/// - A name with a Han character in it loses every whitespace character (an identity card
///   prints none in a Han name), and its ASCII full stops `.` become `·`.
/// - Otherwise leading and trailing whitespace go and every inner run of whitespace becomes
///   one space.
///
/// Nothing else changes (case included). Borrows when the name is already normalized.
pub fn normalize(name: &str) -> Cow<'_, str> {
    let han = name.chars().any(|c| classify(fold(c)) == Class::Han);
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars().map(fold) {
        if c.is_whitespace() {
            pending_space = !han && !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if han && c == '.' { SEPARATOR } else { c });
    }
    if out == name {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(out)
    }
}

/// Whether `name` is one a person can carry, judged on its normalized form (so
/// `check(s) == check(&normalize(s))`); the first problem otherwise. Positions in the
/// problem count the characters of `name` as given, from 1.
pub fn check(name: &str) -> Result<(), NameProblem> {
    let han = name.chars().any(|c| classify(fold(c)) == Class::Han);
    let mut latin = false;
    let mut kept = 0usize;
    // The last kept character's class, to refuse `·` at either end or doubled.
    let mut previous: Option<Class> = None;
    for (index, raw) in name.chars().enumerate() {
        let position = index + 1;
        let c = match fold(raw) {
            '.' if han => SEPARATOR,
            c => c,
        };
        if c.is_whitespace() {
            continue;
        }
        if previous.is_none() && matches!(c, '=' | '+' | '-' | '@') {
            return Err(NameProblem::FormulaStart { found: c });
        }
        let class = classify(c);
        match class {
            Class::Han => {}
            Class::LatinPunctuation if !han => {}
            Class::Latin => latin = true,
            Class::Separator => {
                if !han || matches!(previous, None | Some(Class::Separator)) {
                    return Err(NameProblem::MisplacedSeparator);
                }
            }
            Class::Digit => return Err(NameProblem::Digit { position }),
            Class::Invisible => {
                return Err(NameProblem::Invisible {
                    position,
                    code: u32::from(raw),
                });
            }
            Class::Other | Class::LatinPunctuation => {
                return Err(NameProblem::Character {
                    position,
                    code: u32::from(raw),
                });
            }
        }
        if han && latin {
            return Err(NameProblem::MixedScripts);
        }
        kept += 1;
        previous = Some(class);
    }
    match previous {
        None => return Err(NameProblem::Empty),
        Some(Class::Separator) => return Err(NameProblem::MisplacedSeparator),
        Some(_) if !han && !latin => return Err(NameProblem::NoLetters),
        Some(_) => {}
    }
    // A Latin name keeps one space per inner run of whitespace: count as normalize would.
    let kept = if han {
        kept
    } else {
        normalize(name).chars().count()
    };
    if kept > MAX_CHARS {
        return Err(NameProblem::TooLong {
            found: kept,
            max: MAX_CHARS,
        });
    }
    Ok(())
}

/// [`normalize`], then [`check`]: the name to send, or why none can be.
pub fn clean(name: &str) -> Result<String, NameProblem> {
    check(name)?;
    Ok(normalize(name).into_owned())
}

#[cfg(test)]
mod tests;
