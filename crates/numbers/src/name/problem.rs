//! Why a name is refused. `Display` never shows the name: only positions, code points and the
//! formula character that starts it.

use std::fmt;

/// Why a name cannot be a person's. See `docs/names.md` for the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameProblem {
    /// Empty or whitespace only.
    Empty,
    /// Starts with `=`, `+`, `-` or `@`: a spreadsheet would run it as a formula.
    FormulaStart {
        /// The formula character.
        found: char,
    },
    /// Holds a digit (columns swapped, or a number typed as a name).
    Digit {
        /// 1-based character position in the name as given.
        position: usize,
    },
    /// Holds an invisible character: a control, bidi override or isolate, zero-width
    /// character, byte-order mark, or private-use character.
    Invisible {
        /// 1-based character position in the name as given.
        position: usize,
        /// Its code point.
        code: u32,
    },
    /// Holds a character no identity document prints in a name.
    Character {
        /// 1-based character position in the name as given.
        position: usize,
        /// Its code point.
        code: u32,
    },
    /// Mixes Han characters and Latin letters (a document prints one or the other).
    MixedScripts,
    /// The separator `·` at the start or end, doubled, or in a name without Han characters.
    MisplacedSeparator,
    /// Punctuation only, no letter or Han character.
    NoLetters,
    /// Longer than the cap.
    TooLong {
        /// Characters once normalized.
        found: usize,
        /// The cap ([`super::MAX_CHARS`]).
        max: usize,
    },
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("the name is empty"),
            NameProblem::FormulaStart { found } => write!(
                f,
                "the name starts with `{found}`, which a spreadsheet runs as a formula; \
                 no name starts so"
            ),
            NameProblem::Digit { position } => write!(
                f,
                "character {position} of the name is a digit (columns swapped?)"
            ),
            NameProblem::Invisible { position, code } => write!(
                f,
                "character {position} of the name is U+{code:04X}, an invisible control or \
                 direction character"
            ),
            NameProblem::Character { position, code } => write!(
                f,
                "character {position} of the name is U+{code:04X}, which no identity \
                 document prints in a name"
            ),
            NameProblem::MixedScripts => f.write_str(
                "the name mixes Han characters and Latin letters; a document prints one or \
                 the other",
            ),
            NameProblem::MisplacedSeparator => f.write_str(
                "the separator · must stand between two parts of a name in Han characters",
            ),
            NameProblem::NoLetters => f.write_str("the name has no letter or Han character"),
            NameProblem::TooLong { found, max } => write!(
                f,
                "the name has {found} characters; at most {max} are accepted"
            ),
        }
    }
}

impl std::error::Error for NameProblem {}
