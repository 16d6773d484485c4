//! Streaming reader for `shiming batch` input files.
//!
//! A batch file is CSV with a header row, or JSON lines; UTF-8 (with or without a byte-order
//! mark, UTF-16 with a BOM also understood) or GBK, as Excel on Chinese Windows saves "CSV".
//! Headers may be English (`name`, `mobile`, `id_number`) or the usual Chinese ones
//! (`姓名`, `手机号`, `身份证号`).
//!
//! The reader holds one record at a time, so memory stays flat whatever the file size, and it
//! never loses a row: a record that cannot be read (bad UTF-8 in one row, a JSON line that is
//! not an object) still comes back as a row, with the reason, so the output can account for it.
//!
//! This crate knows nothing about vendors or HTTP; it exists on its own so the command line,
//! the fuzz harness (`fuzz/fuzz_targets/batch_input.rs`) and benchmarks can share it.
//!
//! ```
//! use shiming_batch_input::{Field, InputEncoding, RowReader};
//!
//! let csv = "姓名,手机号\n张三, 13800138000 \n".as_bytes();
//! let mut reader = RowReader::from_reader(csv, InputEncoding::Utf8)?;
//! reader.columns().require("--check mobile", &[Field::Name, Field::Mobile])?;
//! let row = reader.next_row()?.expect("one row");
//! assert_eq!(row.row, 1);
//! assert_eq!(reader.columns().extract(&row.values).mobile, "13800138000");
//! # Ok::<(), shiming_batch_input::InputError>(())
//! ```

mod columns;
mod fields;
mod reader;

pub use columns::Columns;
pub use fields::{CheckInput, Field};
pub use reader::{InputEncoding, InputError, InputRow, RowReader, count_rows};
