//! Magic inputs that inject a fault, shared by every vendor: a number that makes the emulator
//! act as if the `x-emulator-fault` header asked for a fault. Published as
//! `shiming_emulator::magic::fault`; the scheme is in `docs/emulator.md` and in the
//! vendors' own magic modules.

use crate::faults::Faults;

/// Magic inputs that inject a fault (every vendor's mobile parameter; wapi's `bank_id`).
pub mod fault {
    macro_rules! fault_magic {
        ($( $name:ident $mobile:literal $id:literal $spec:literal $doc:literal; )*) => {
            /// Fault mobiles (wapi `mobile`, QXT `mobile`, ihuyi `mobile`).
            pub mod mobile {
                $( #[doc = $doc] pub const $name: &str = $mobile; )*
            }
            /// Fault ID numbers (wapi `bank_id`).
            pub mod id {
                $( #[doc = $doc] pub const $name: &str = $id; )*
            }
            /// `(mobile, id, fault spec)` for every fault input.
            pub const ALL: &[(&str, &str, &str)] = &[$( ($mobile, $id, $spec) ),*];
        };
    }

    fault_magic! {
        RESET "17000900001" "110101190001019019" "reset" "Connection reset instead of an answer.";
        BAD_GATEWAY "17000900002" "110101190001019027" "502" "502 with a gateway's HTML page.";
        TRUNCATE "17000900003" "110101190001019035" "truncate" "Body cut in half after a full Content-Length.";
        SLOW_BODY "17000900004" "110101190001019043" "slow-body" "Body trickled out over 2 s.";
        OVERSIZED "17000900005" "110101190001019051" "oversized" "Answer padded to 16 MiB.";
        WRONG_CONTENT_TYPE "17000900006" "11010119000101906X" "wrong-content-type" "Answer sent as text/html.";
        LATENCY "17000900007" "110101190001019078" "latency=1000" "Answer after 1 s.";
        UNQUOTED_KEYS "17000900008" "110101190001019086" "unquoted-keys" "JSON with unquoted keys.";
        STRING_NUMBERS "17000900009" "110101190001019094" "string-numbers" "Numbers written as strings.";
    }
}

/// The faults a magic input injects, if it is one.
pub(crate) fn fault_for(number: &str) -> Option<Faults> {
    fault::ALL
        .iter()
        .find(|(mobile, id, _)| *mobile == number || *id == number)
        .and_then(|(_, _, spec)| Faults::parse(spec).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_inputs_parse_and_match_both_numbers() {
        for (mobile, id, spec) in fault::ALL {
            assert_eq!(fault_for(mobile), Some(Faults::parse(spec).unwrap()));
            assert_eq!(fault_for(id), fault_for(mobile));
        }
        assert_eq!(fault_for("18688888888"), None);
    }
}
