//! Streaming reader for `shiming batch` input files.
//!
//! A batch file is CSV or TSV with a header row, JSON lines, or a spreadsheet (`.xlsx`,
//! `.xls`, `.ods`: the first sheet, or one chosen by name), told apart by content. Text is
//! UTF-8 (with or without a byte-order mark), UTF-16 with a mark (Excel's "Unicode text") or
//! GBK, as Excel on Chinese Windows saves "CSV"; a byte sequence the encoding does not define
//! refuses its row. Headers may be English (`name`, `mobile`, `id_number`), the usual Chinese
//! ones (`姓名`, `手机号`, `身份证号`, `电话`, `证件号码` …), or chosen with a [`ColumnMap`]
//! (`--columns name=名字,mobile=电话`).
//!
//! The reader holds one record at a time, each at most [`limits::MAX_RECORD_BYTES`], so
//! memory stays flat whatever the file (a workbook is loaded whole, within
//! [`limits::MAX_WORKBOOK_BYTES`]). It never loses a row: a record that cannot be read (bad
//! bytes in one row, a JSON line that is not an object, a number a spreadsheet has already
//! rounded) still comes back as a row, with the reason, so the output can account for it.
//!
//! This crate knows nothing about vendors or HTTP; it exists on its own so the command line,
//! the fuzz harness (`fuzz/fuzz_targets/batch_input.rs`) and benchmarks can share it.
//! `docs/batch-input.md` describes formats, caps and refusals.
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

mod column_map;
mod columns;
mod explain;
mod fields;
mod input;
pub mod limits;
mod ods_area;
mod reader;
mod sheet;
mod source;
mod text;

pub use column_map::{ColumnMap, ColumnMapError};
pub use columns::Columns;
pub use explain::explain_number_cell;
pub use fields::{CheckInput, Field};
pub use input::{InputError, InputKind};
pub use reader::{InputEncoding, InputRow, ReadOptions, RowReader, count_rows, count_rows_with};
