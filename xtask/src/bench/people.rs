//! Input files for `shiming batch`: valid fake people, every row different.
//!
//! Mobiles and ID numbers come from the command's own generators (`shiming fake-mobile`,
//! `shiming fake-id`: allocated segments, valid check digits), so offline validation lets
//! every row through. Names are numbered in mixed radix over common surnames and given-name
//! characters, so no two rows share a name and batch's de-duplication never skips a request
//! (duplicates would flatter its throughput).

use super::serve::clean_command;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡\
                        余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯\
                        龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红玲兰飞鹏辉建国文斌宇浩凯健俊\
                     帆帅旭宁琳晨冰雪梅婷莉欣怡佳雨晓悦子涵梓萱思博轩天昊睿哲瑞泽鑫宏亮志远海峰成龙波云\
                     春雷金鹤松柏林森晴阳光彤颖慧嘉琪璐瑶露倩";

/// The `index`-th name: a surname and at least two given-name characters, all distinct.
pub(crate) fn name(index: usize) -> String {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut name = String::new();
    name.push(surnames[index % surnames.len()]);
    let mut rest = index / surnames.len();
    for position in 0.. {
        name.push(given[rest % given.len()]);
        rest /= given.len();
        if rest == 0 && position >= 1 {
            break;
        }
    }
    name
}

/// Writes `data/people-<rows>.csv` (`name,mobile,id_number`) and returns its path.
pub(crate) fn write_csv(
    shiming: &Path,
    home: &Path,
    data_dir: &Path,
    rows: usize,
) -> Result<PathBuf, String> {
    let path = data_dir.join(format!("people-{rows}.csv"));
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut mobiles = generator(shiming, home, "fake-mobile", rows, 101)?;
    let mut ids = generator(shiming, home, "fake-id", rows, 202)?;
    let (Some(mobile_out), Some(id_out)) = (mobiles.stdout.take(), ids.stdout.take()) else {
        return Err("fake generators have no stdout".to_string());
    };
    let mut mobile_lines = BufReader::new(mobile_out).lines();
    let mut id_lines = BufReader::new(id_out).lines();
    let mut out = BufWriter::new(File::create(&path).map_err(fail)?);
    out.write_all(b"name,mobile,id_number\n").map_err(fail)?;
    for index in 0..rows {
        // One line from each in turn: both pipes drain at the same pace, so neither blocks.
        let (Some(Ok(mobile)), Some(Ok(id))) = (mobile_lines.next(), id_lines.next()) else {
            return Err(format!(
                "the fake generators stopped before row {}",
                index + 1
            ));
        };
        writeln!(out, "{},{},{}", name(index), mobile.trim(), id.trim()).map_err(fail)?;
    }
    out.flush().map_err(fail)?;
    for (what, mut child) in [("fake-mobile", mobiles), ("fake-id", ids)] {
        let status = child.wait().map_err(|e| format!("shiming {what}: {e}"))?;
        if !status.success() {
            return Err(format!("shiming {what} failed ({status})"));
        }
    }
    Ok(path)
}

fn generator(
    shiming: &Path,
    home: &Path,
    command: &str,
    count: usize,
    seed: u64,
) -> Result<Child, String> {
    clean_command(shiming, home)
        .args([
            command,
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run shiming {command}: {e}"))
}

/// The first `limit` (name, mobile) pairs of a file [`write_csv`] wrote.
pub(crate) fn read_pairs(path: &Path, limit: usize) -> Result<Vec<(String, String)>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    BufReader::new(file)
        .lines()
        .skip(1)
        .take(limit)
        .map(|line| {
            let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut fields = line.split(',');
            match (fields.next(), fields.next()) {
                (Some(name), Some(mobile)) => Ok((name.to_string(), mobile.to_string())),
                _ => Err(format!("{}: malformed row {line:?}", path.display())),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn pools_have_no_repeats() {
        let surnames: HashSet<char> = SURNAMES.chars().collect();
        let given: HashSet<char> = GIVEN.chars().collect();
        assert_eq!(surnames.len(), SURNAMES.chars().count());
        assert_eq!(given.len(), GIVEN.chars().count());
        assert!(surnames.len() >= 90 && given.len() >= 90);
    }

    #[test]
    fn names_are_distinct_and_realistic() {
        let n = 300_000;
        let names: HashSet<String> = (0..n).map(name).collect();
        assert_eq!(names.len(), n);
        assert_eq!(name(0).chars().count(), 3);
        assert!(names.iter().all(|n| (3..=4).contains(&n.chars().count())));
        // Past surnames × given² the names grow a character rather than repeat.
        let s = SURNAMES.chars().count();
        let g = GIVEN.chars().count();
        assert_eq!(name(s * g * g).chars().count(), 4);
        assert_ne!(name(s * g * g), name(0));
    }
}
