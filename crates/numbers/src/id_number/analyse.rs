//! The checks themselves, shared by the full report and the cheap first-problem check.
//!
//! Every part is checked on its own as soon as its characters are digits, so one input can
//! fail length, region, birth date and checksum at once; the caller decides whether to stop
//! at the first problem.

use super::scan::Scan;
use super::{IdKind, IdProblem, Mode, Sex};
use crate::checksum::check_char;
use crate::date::Date;
use crate::region::{self, Status};

/// What the checks learnt about the number, valid or not.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Facts {
    pub(super) kind: Option<IdKind>,
    /// The 18-character form (an old number upgraded), when every character is usable.
    pub(super) normalized: Option<[u8; 18]>,
    pub(super) upgraded_from_15: bool,
    /// Six-digit region code (for a foreigner's card, the issuing province padded with 0000).
    pub(super) region_code: Option<u32>,
    /// Digits 4–6 of a foreigner's permanent residence ID.
    pub(super) nationality_code: Option<u16>,
    pub(super) birth_date: Option<Date>,
    pub(super) sex: Option<Sex>,
}

/// Receives problems; returns `false` to stop the checks.
pub(super) trait Sink {
    fn problem(&mut self, problem: IdProblem) -> bool;
}

/// Keeps every problem.
impl Sink for Vec<IdProblem> {
    fn problem(&mut self, problem: IdProblem) -> bool {
        self.push(problem);
        true
    }
}

/// Keeps the first problem and stops.
impl Sink for Option<IdProblem> {
    fn problem(&mut self, problem: IdProblem) -> bool {
        *self = Some(problem);
        false
    }
}

/// Reports `$problem` to `$sink` and returns `$facts` if the sink wants no more.
macro_rules! report {
    ($sink:expr, $facts:expr, $problem:expr) => {
        if !$sink.problem($problem) {
            return $facts;
        }
    };
}

/// Runs every check on `input`.
pub(super) fn analyse(input: &str, mode: Mode, today: Date, sink: &mut impl Sink) -> Facts {
    let scan = Scan::new(input);
    let mut facts = Facts::default();
    let well_sized = scan.len == 15 || scan.len == 18;
    if !well_sized {
        report!(sink, facts, IdProblem::Length { found: scan.len });
    }
    if let Some((position, found)) = scan.bad {
        report!(
            sink,
            facts,
            IdProblem::Characters {
                position,
                found,
                count: scan.bad_count,
            }
        );
    }
    if !well_sized {
        // Without the right length no part can be located.
        return facts;
    }
    let old = scan.len == 15;
    // What the leading digits say the card is. Only resident numbers ever had a 15-digit
    // form (permits date from 2018, foreigners' cards from 2023), so an old number is a
    // resident one whatever it starts with, and must not start like another card: its
    // 18-digit upgrade would read as that card.
    let looks_like = match (scan.chars[0], scan.chars[1]) {
        (b'9', _) => IdKind::ForeignPermanent,
        (b'8', b'1'..=b'3') => IdKind::ResidencePermit,
        _ => IdKind::Resident,
    };
    let kind = if old { IdKind::Resident } else { looks_like };
    facts.kind = Some(kind);

    // Birth date first: the region check depends on the birth year.
    let birth = if old {
        scan.number(6..12)
            .map(|n| (1900 + n / 10_000, n / 100 % 100, n % 100))
    } else {
        scan.number(6..14)
            .map(|n| (n / 10_000, n / 100 % 100, n % 100))
    };
    let birth = birth.map(|(y, m, d)| {
        // All three fit: y < 10_000, m and d < 100.
        let (y, m, d) = (y as u16, m as u8, d as u8);
        Date::new(y, m, d).ok_or(IdProblem::ImpossibleDate {
            year: y,
            month: m,
            day: d,
        })
    });
    facts.birth_date = birth.and_then(Result::ok);
    let sequence_digit = if old { scan.chars[14] } else { scan.chars[16] };
    if sequence_digit.is_ascii_digit() {
        facts.sex = Some(if (sequence_digit - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        });
    }

    // Region.
    let birth_year = facts.birth_date.map(Date::year);
    if kind == IdKind::ForeignPermanent {
        facts.region_code = scan.number(1..3).map(|p| p * 10_000);
        facts.nationality_code = scan.number(3..6).and_then(|n| u16::try_from(n).ok());
        if let Some(code) = facts.region_code
            && mode != Mode::Lenient
            && !(code < 800_000 && region::status(code, today.year()) == Status::InForce)
        {
            report!(sink, facts, IdProblem::ForeignProvince { code });
        }
    } else {
        facts.region_code = scan.number(0..6);
        if looks_like != kind {
            // Structure, not the region table: refused in every mode, Lenient included.
            report!(
                sink,
                facts,
                IdProblem::OldNumberOfOtherKind { kind: looks_like }
            );
        } else if let Some(code) = facts.region_code
            && mode != Mode::Lenient
            && let Some(problem) = region_problem(kind, code, birth_year, mode)
        {
            report!(sink, facts, problem);
        }
    }

    // Birth date.
    match birth {
        Some(Err(problem)) => report!(sink, facts, problem),
        Some(Ok(date)) => {
            if date > today {
                report!(
                    sink,
                    facts,
                    IdProblem::FutureBirthDate { birth: date, today }
                );
            } else if let Some(age) = date.age_on(today)
                && age > crate::MAX_AGE_YEARS
            {
                report!(sink, facts, IdProblem::TooOld { birth: date, age });
            }
        }
        None => {}
    }

    // Check character, and the normalized 18-character form.
    if old {
        if let Some(body) = upgrade_body(&scan) {
            let mut full = [0u8; 18];
            full[..17].copy_from_slice(&body);
            full[17] = check_char(&body).unwrap_or(b'?');
            facts.normalized = Some(full);
            facts.upgraded_from_15 = true;
        }
    } else if let Some(expected) = check_char(&scan.chars[..17]) {
        let found = scan.chars[17];
        if found != 0 {
            facts.normalized = Some(scan.chars);
            if found != expected {
                report!(
                    sink,
                    facts,
                    IdProblem::Checksum {
                        expected: char::from(expected),
                        found: char::from(found),
                    }
                );
            }
        }
    }
    facts
}

/// The 17-digit body of an old 15-digit number: region, "19" + YYMMDD, sequence.
pub(super) fn upgrade_body(scan: &Scan) -> Option<[u8; 17]> {
    let digits = scan.chars.get(..15)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut body = [0u8; 17];
    body[..6].copy_from_slice(&digits[..6]);
    body[6..8].copy_from_slice(b"19");
    body[8..].copy_from_slice(&digits[6..15]);
    Some(body)
}

/// The region problem of a resident ID or residence permit, if any.
fn region_problem(
    kind: IdKind,
    code: u32,
    birth_year: Option<u16>,
    mode: Mode,
) -> Option<IdProblem> {
    if kind == IdKind::ResidencePermit {
        return (!matches!(code, 810_000 | 820_000 | 830_000))
            .then_some(IdProblem::PermitRegion { code });
    }
    let Some(year) = birth_year else {
        // Birth date unusable: only ask whether the code exists at all.
        return (!region::is_known(code)).then_some(IdProblem::UnknownRegion { code });
    };
    let province = code / 10_000 * 10_000;
    let to_problem = |code: u32, status: Status| match status {
        Status::InForce => None,
        Status::Unknown => Some(IdProblem::UnknownRegion { code }),
        Status::Abolished { last_year } => Some(IdProblem::RegionAbolished {
            code,
            last_year,
            birth_year: year,
        }),
        Status::NotYet { first_year } => {
            (mode == Mode::Strict).then_some(IdProblem::RegionNotYetInForce {
                code,
                first_year,
                birth_year: year,
            })
        }
    };
    let own = to_problem(code, region::status(code, year));
    if own.is_some() || mode != Mode::Strict || province == code {
        return own;
    }
    // Strict: the province must have existed too (海南 1988, 重庆 1997).
    to_problem(province, region::status(province, year))
}
