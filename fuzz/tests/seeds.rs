//! Runs every decoder target's properties on every codec fixture, framed as the seeds
//! `cargo xtask fuzz` writes: a property that fails on the known-good answers is a wrong
//! property, and this finds it in a second with plain `cargo test` (no nightly needed).

use std::path::{Path, PathBuf};

use shiming_codec::{ihuyi, qxt, wapi};
use shiming_fuzz::decode;
use shiming_fuzz::frame::SEED_PREFIX;

fn fixtures(dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/codec/tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let mut seed = SEED_PREFIX.to_vec();
            seed.extend(std::fs::read(&path).expect("readable"));
            (path, seed)
        })
        .collect()
}

#[test]
fn wapi_fixtures_satisfy_every_format_property() {
    let mobile = wapi::MobileTwoElements::new("张三", "18688888888");
    let id = wapi::IdTwoElements::new("张三", "11010519491231002X");
    for dir in ["wapi/mobile_two_elements", "wapi/id_two_elements"] {
        for (path, seed) in fixtures(dir) {
            eprintln!("{}", path.display());
            shiming_fuzz::wapi::json_target(&mobile, &seed);
            shiming_fuzz::wapi::jsonp_target(&mobile, &seed);
            shiming_fuzz::wapi::xml_target(&mobile, &seed);
            shiming_fuzz::wapi::json_target(&id, &seed);
            shiming_fuzz::wapi::jsonp_target(&id, &seed);
            shiming_fuzz::wapi::xml_target(&id, &seed);
        }
    }
}

#[test]
fn qxt_and_ihuyi_fixtures_satisfy_the_decoder_properties() {
    let qxt = qxt::MobileTwoElements::new("张三", "18688888888");
    for (path, seed) in fixtures("qxt/mobile_two_elements") {
        eprintln!("{}", path.display());
        decode::check(&qxt, &seed, decode::qxt_rules);
        decode::bare_keys_agree(&qxt, &seed);
    }
    let status = ihuyi::MobileStatus::new("18688888888");
    for (path, seed) in fixtures("ihuyi/mobile_status") {
        eprintln!("{}", path.display());
        decode::check(&status, &seed, decode::ihuyi_submit_rules);
        decode::bare_keys_agree(&status, &seed);
    }
    for (path, seed) in fixtures("ihuyi/balance") {
        eprintln!("{}", path.display());
        decode::check(&ihuyi::Balance, &seed, decode::ihuyi_getnum_rules);
        decode::bare_keys_agree(&ihuyi::Balance, &seed);
    }
}

#[test]
fn number_seeds_satisfy_the_parser_properties() {
    for text in [
        "11010519491231002X",
        "110105491231002",
        " 11010519491231002x ",
        "1",
    ] {
        let mut seed = shiming_fuzz::numbers::ID_SEED_PREFIX.to_vec();
        seed.extend_from_slice(text.as_bytes());
        shiming_fuzz::numbers::id_target(&seed);
    }
    for text in [
        "+86 186-8888-8888",
        "18688888888",
        "15412345678",
        "0086 138 0013 8000",
    ] {
        shiming_fuzz::numbers::mobile_target(text.as_bytes());
    }
}

#[test]
fn batch_input_properties_hold_on_the_example_file() {
    let example =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/people.csv"))
            .expect("examples/people.csv");
    let jsonl = b"{\"name\":\"a\",\"mobile\":13800138000}\n\n[]\n\"13800138000\"\n".to_vec();
    for file in [example, jsonl] {
        // Every encoding and read size the framing byte can pick.
        for control in 0..16u8 {
            let mut seed = vec![control];
            seed.extend_from_slice(&file);
            shiming_fuzz::batch_input::target(&seed);
        }
    }
}
