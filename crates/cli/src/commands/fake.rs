//! `shiming fake-id` and `shiming fake-mobile`: valid fake numbers for users' own tests.
//!
//! Deterministic with `--seed`; without it a seed is drawn from the clock and printed on
//! stderr so the run can be repeated. One number per line, or one JSON object per line.

use super::inspect::parse_date;
use crate::global::{GlobalArgs, OutputFormat};
use crate::{exit, stdout};
use serde_json::json;
use shiming_numbers::fake::{BirthSpec, IdFaker, IdSpec, MobileFaker, MobileSpec, SplitMix64};
use shiming_numbers::{Carrier, Date, IdKind, Mode, Service, Sex, id_number, mobile};
use std::process::ExitCode;

/// Arguments of `fake-id`.
#[derive(Debug, clap::Args)]
pub(crate) struct FakeIdArgs {
    /// How many numbers to print.
    #[arg(long, default_value_t = 1)]
    count: usize,
    /// Region: a code prefix (44, 4403, 440305; 81/82/83 for residence permits) or a name
    /// (广东省, 深圳市, 朝阳区).
    #[arg(long)]
    region: Option<String>,
    /// Birth date or range: 1990, 1990-05-03, 1980..1999, 1980-01-01..1999-06-30
    /// (default: 18 to 80 years old).
    #[arg(long, value_parser = parse_birth)]
    birth: Option<BirthSpec>,
    /// Sex (default: either).
    #[arg(long, value_enum)]
    sex: Option<SexArg>,
    /// Kind of card (residence permits come from --region 81/82/83).
    #[arg(long, value_enum, default_value_t = KindArg::Resident)]
    kind: KindArg,
    /// Seed for reproducible output (default: from the clock, printed on stderr).
    #[arg(long)]
    seed: Option<u64>,
    /// Reference date: no birth after it (default: today in China).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    on: Option<Date>,
}

/// Arguments of `fake-mobile`.
#[derive(Debug, clap::Args)]
pub(crate) struct FakeMobileArgs {
    /// How many numbers to print.
    #[arg(long, default_value_t = 1)]
    count: usize,
    /// Carrier (host network for virtual ranges): china_mobile, china_unicom, china_telecom,
    /// china_broadnet, china_satnet (or mobile, unicom, …; default: any).
    #[arg(long, value_parser = parse_carrier)]
    carrier: Option<Carrier>,
    /// Service of the segment.
    #[arg(long, value_enum, default_value_t = ServiceArg::Mobile)]
    service: ServiceArg,
    /// Seed for reproducible output (default: from the clock, printed on stderr).
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SexArg {
    Male,
    Female,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KindArg {
    Resident,
    ForeignPermanent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ServiceArg {
    Mobile,
    Virtual,
    Data,
    Satellite,
}

fn parse_birth(text: &str) -> Result<BirthSpec, String> {
    text.parse()
        .map_err(|e: shiming_numbers::fake::FakeError| e.to_string())
}

fn parse_carrier(text: &str) -> Result<Carrier, String> {
    Carrier::from_name(text).ok_or_else(|| {
        format!(
            "unknown carrier `{text}` (china_mobile, china_unicom, china_telecom, china_broadnet, china_satnet)"
        )
    })
}

/// The given seed, or one from the clock, announced on stderr.
fn seed_or_clock(seed: Option<u64>) -> u64 {
    seed.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // The low 64 bits of the nanoseconds vary enough for test data.
        let seed = nanos as u64;
        eprintln!("seed: {seed} (pass --seed {seed} to repeat)");
        seed
    })
}

/// Runs `fake-id`.
pub(crate) fn fake_id(global: &GlobalArgs, args: FakeIdArgs) -> ExitCode {
    let today = args.on.unwrap_or_else(crate::precheck::today);
    let spec = IdSpec {
        kind: (args.kind == KindArg::ForeignPermanent).then_some(IdKind::ForeignPermanent),
        region: args.region,
        birth: args.birth,
        sex: args.sex.map(|sex| match sex {
            SexArg::Male => Sex::Male,
            SexArg::Female => Sex::Female,
        }),
    };
    let faker = match IdFaker::new(&spec, today) {
        Ok(faker) => faker,
        Err(error) => {
            eprintln!("shiming fake-id: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let mut rng = SplitMix64::new(seed_or_clock(args.seed));
    for _ in 0..args.count {
        let id = faker.generate(&mut rng);
        match global.output {
            OutputFormat::Human => stdout::line(&id),
            OutputFormat::Json => {
                let report = id_number::parse(&id, Mode::Standard, today);
                stdout::json(&json!({
                    "id_number": id,
                    "kind": report.kind(),
                    "region_code": report.region_code().map(|code| format!("{code:06}")),
                    "region_name": report.region().map(|region| region.full_name()),
                    "birth_date": report.birth_date(),
                    "sex": report.sex(),
                }));
            }
        }
    }
    ExitCode::from(exit::OK)
}

/// Runs `fake-mobile`.
pub(crate) fn fake_mobile(global: &GlobalArgs, args: FakeMobileArgs) -> ExitCode {
    let service = match args.service {
        ServiceArg::Mobile => Service::Mobile,
        ServiceArg::Virtual => Service::Virtual,
        ServiceArg::Data => Service::Data,
        ServiceArg::Satellite => Service::Satellite,
    };
    let spec = MobileSpec {
        carrier: args.carrier,
        service: Some(service),
    };
    let faker = match MobileFaker::new(spec) {
        Ok(faker) => faker,
        Err(error) => {
            eprintln!("shiming fake-mobile: {error}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let mut rng = SplitMix64::new(seed_or_clock(args.seed));
    for _ in 0..args.count {
        let number = faker.generate(&mut rng);
        match global.output {
            OutputFormat::Human => stdout::line(&number),
            OutputFormat::Json => {
                let segment = mobile::segment_of(&number);
                stdout::json(&json!({
                    "mobile": number,
                    "segment": segment.map(|s| s.prefix()),
                    "carrier": segment.and_then(|s| s.carrier()),
                    "virtual": segment.is_some_and(|s| s.is_virtual()),
                    "service": segment.map(|s| s.service()),
                }));
            }
        }
    }
    ExitCode::from(exit::OK)
}
