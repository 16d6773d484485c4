//! Signer throughput: `cargo bench -p shiming-sign --bench sign`.
//!
//! `md5 alone` hashes the same bytes the wapi signer hashes, with no sorting, filtering or
//! allocation: the distance between it and `wapi md5` is what the signer itself costs.

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use md5::{Digest, Md5};
use shiming_sign::{Secret, UnixTime, ihuyi, wapi};

/// A realistic mobile two-elements request, in the order a caller might build it.
const PARAMS: [(&str, &str); 7] = [
    ("appid", "10086"),
    ("bank_name", "欧阳娜娜"),
    ("mobile", "18688888888"),
    ("format", "json"),
    ("callback", ""),
    ("debug", ""),
    ("time", "1604973925"),
];

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn signers(c: &mut Criterion) {
    let secret = Secret::new(SECRET);
    c.bench_function("wapi md5", |b| {
        b.iter(|| wapi::sign(wapi::AuthMode::Md5, black_box(&PARAMS), &secret))
    });
    c.bench_function("wapi md5 + canonical_masked", |b| {
        b.iter(|| wapi::sign(wapi::AuthMode::Md5, black_box(&PARAMS), &secret).canonical_masked())
    });
    c.bench_function("wapi hash", |b| {
        b.iter(|| wapi::sign(wapi::AuthMode::Hash, black_box(&PARAMS), &secret))
    });
    c.bench_function("ihuyi dynamic", |b| {
        b.iter(|| {
            ihuyi::dynamic_password(
                black_box("C12345678"),
                &secret,
                Some(black_box("13600000000")),
                UnixTime(1651544941),
            )
        })
    });
    let canonical = "appid10086bank_name欧阳娜娜formatjsonmobile18688888888time1604973925";
    c.bench_function("md5 alone", |b| {
        b.iter(|| {
            let mut hasher = Md5::new();
            hasher.update(black_box(canonical));
            hasher.update(SECRET);
            hasher.finalize()
        })
    });
}

criterion_group!(benches, signers);
criterion_main!(benches);
