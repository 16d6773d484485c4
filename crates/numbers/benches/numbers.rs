//! Throughput of the offline checks on one core: mobile segment lookup (the anchors —
//! phonedata-style libraries — take 140–230 ns; the target is ≤ 14 ns), full mobile parse,
//! and ID number validation (cheap check and full report).
//!
//! Run: `cargo bench -p shiming-numbers --bench numbers`.

#![allow(missing_docs)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use shiming_numbers::fake::{IdFaker, IdSpec, MobileFaker, MobileSpec, SplitMix64};
use shiming_numbers::{Date, Mode, id_number, mobile};
use std::hint::black_box;

const BATCH: usize = 1024;

/// How many of `numbers` `test` accepts: what each benchmark iteration computes over a batch.
fn accepted(numbers: &[String], test: impl Fn(&String) -> bool) -> usize {
    numbers
        .iter()
        .filter(|number| test(black_box(number)))
        .count()
}

fn today() -> Date {
    Date::new(2024, 6, 1).expect("a date")
}

/// Numbers over every allocated segment plus some unallocated ones.
fn mobiles() -> Vec<String> {
    let faker = MobileFaker::new(MobileSpec::default()).expect("segments");
    let mut rng = SplitMix64::new(1);
    let mut numbers: Vec<String> = (0..BATCH - 64).map(|_| faker.generate(&mut rng)).collect();
    numbers.extend((0..64).map(|i| format!("154{:08}", i * 1_234_567 % 100_000_000)));
    numbers
}

fn ids() -> Vec<String> {
    let faker = IdFaker::new(&IdSpec::default(), today()).expect("regions");
    let mut rng = SplitMix64::new(2);
    (0..BATCH).map(|_| faker.generate(&mut rng)).collect()
}

fn mobile_benches(c: &mut Criterion) {
    let numbers = mobiles();
    let mut group = c.benchmark_group("mobile");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("segment_of", |b| {
        b.iter(|| accepted(&numbers, |number| mobile::segment_of(number).is_some()))
    });
    group.bench_function("check", |b| {
        b.iter(|| accepted(&numbers, |number| mobile::check(number).is_ok()))
    });
    let typed: Vec<String> = numbers
        .iter()
        .map(|n| format!("+86 {}-{}-{}", &n[..3], &n[3..7], &n[7..]))
        .collect();
    group.bench_function("check_with_country_code_and_dashes", |b| {
        b.iter(|| accepted(&typed, |number| mobile::check(number).is_ok()))
    });
    group.finish();
}

fn id_benches(c: &mut Criterion) {
    let numbers = ids();
    let today = today();
    let mut group = c.benchmark_group("id_number");
    group.throughput(Throughput::Elements(BATCH as u64));
    for (name, mode) in [
        ("check_standard", Mode::Standard),
        ("check_strict", Mode::Strict),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                accepted(&numbers, |number| {
                    id_number::check(number, mode, today).is_ok()
                })
            })
        });
    }
    group.bench_function("parse_full_report", |b| {
        b.iter_batched(
            || numbers.clone(),
            |numbers| {
                numbers
                    .iter()
                    .filter(|n| id_number::parse(n, Mode::Standard, today).is_valid())
                    .count()
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, mobile_benches, id_benches);
criterion_main!(benches);
