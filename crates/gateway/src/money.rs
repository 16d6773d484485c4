//! Money as integers: 1 unit = 1/10000 yuan, so sums of 0.16 + 0.6 never drift.

/// An amount in 1/10000 yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Units(pub u64);

impl Units {
    /// Rounds a yuan amount to the nearest unit (negative and NaN become 0).
    pub fn from_yuan(yuan: f64) -> Units {
        if yuan.is_finite() && yuan > 0.0 {
            // `as` saturates at u64::MAX for absurd amounts, which is what a cap should do.
            Units((yuan * 10_000.0).round() as u64)
        } else {
            Units(0)
        }
    }

    /// The amount in yuan, for JSON and metrics.
    pub fn yuan(self) -> f64 {
        self.0 as f64 / 10_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_round_trip_without_drift() {
        assert_eq!(Units::from_yuan(0.16), Units(1600));
        assert_eq!(Units::from_yuan(-1.0), Units(0));
        assert_eq!(Units::from_yuan(f64::NAN), Units(0));
        let sum: u64 = (0..1000).map(|_| Units::from_yuan(0.1).0).sum();
        assert_eq!(Units(sum).yuan(), 100.0);
    }
}
