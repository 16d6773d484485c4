//! Medians and spreads of per-round results: the machines are shared and noisy, so every
//! figure in the table is the median of several rounds, shown with its min–max.

/// The median, minimum and maximum of one figure over the rounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spread {
    /// The median (the mean of the middle two for an even count).
    pub(crate) median: f64,
    /// The smallest round.
    pub(crate) min: f64,
    /// The largest round.
    pub(crate) max: f64,
    /// How many rounds.
    pub(crate) rounds: usize,
}

impl Spread {
    /// The spread of `values`; `None` when there are none (or one is not a number).
    pub(crate) fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Spread {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            rounds: n,
        })
    }

    /// The median of `values`, 0 when there is none (for a row's detail text).
    pub(crate) fn median_of(values: &[f64]) -> f64 {
        Spread::of(values).map_or(0.0, |s| s.median)
    }
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn medians_of_odd_and_even_counts() {
        let odd = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(
            (odd.median, odd.min, odd.max, odd.rounds),
            (2.0, 1.0, 3.0, 3)
        );
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert!(Spread::of(&[]).is_none());
        assert!(Spread::of(&[1.0, f64::NAN]).is_none());
    }
}
